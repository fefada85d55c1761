// What dlopen's refusal of a plugin library means for its author. Boost.DLL wraps dlerror's words
// in its own ("boost::dll::shared_library::load() failed (dlerror system message: …): Bad file
// descriptor"), where the last part is a stale errno; the operator needs dlerror's words and, for
// the usual causes, what to do about them.
#pragma once

#include <filesystem>
#include <string>

namespace stella::host {

struct DlopenFailure {
  /// dlerror's words, or an explanation of them ("it needs libfoo.so, which …").
  std::string cause;
  /// What to do; empty when nothing better than rebuilding the plugin can be said.
  std::string remedy;
};

/// Explains the message of Boost.DLL's load failure for `library`.
DlopenFailure explain_dlopen_failure(const std::string& load_error,
                                     const std::filesystem::path& library);

}  // namespace stella::host
