// Whether a pack's plugin library can be a plugin for this host at all, judged from its ELF header
// before anything is installed or loaded: a text file, an executable or a library built for
// another machine is named by `plugins pack`, `plugins verify` and `plugins install` instead of
// failing in dlopen on an operator's machine.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace stella::host {

/// Why `bytes` (the whole file) is not an ELF shared object, or nullopt when it is one:
///   "not an ELF file (it starts with 6e 6f 74 20)", "an ELF executable, not a shared object",
///   "a position-independent executable (PIE), not a shared object: ...", "a truncated ELF file:
///   ...". A PIE is ET_DYN like a shared object; its dynamic section's DF_1_PIE tells them apart.
std::optional<std::string> shared_object_problem(std::string_view bytes);

/// Why `bytes` cannot be loaded by this host: shared_object_problem's reason, or a shared object
/// built for another machine, word size or byte order than this stella's own executable, naming
/// both:
///   "built for AArch64 (64-bit, little-endian); this stella runs on x86-64 (64-bit,
///    little-endian)".
/// nullopt when it can. Packs may be built on another machine than the one they are for, so
/// `plugins pack` asks only shared_object_problem; verify and install ask both.
std::optional<std::string> foreign_library_problem(std::string_view bytes);

/// foreign_library_problem of the file at `library`, read whole; nullopt too when it cannot be
/// read (the caller's own error says why). For the loader, to say why dlopen refused a file.
std::optional<std::string> foreign_library_file_problem(const std::filesystem::path& library);

}  // namespace stella::host
