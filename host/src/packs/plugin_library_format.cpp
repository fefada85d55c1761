#include "packs/plugin_library_format.hpp"

#include <elf.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>

#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host {
namespace {

// e_ident, e_type and e_machine: the first 20 bytes of every ELF header, 32- or 64-bit.
constexpr std::size_t kIdentifyingBytes = 20;

struct ElfTarget {
  unsigned char word_size = 0;   // EI_CLASS
  unsigned char byte_order = 0;  // EI_DATA
  std::uint16_t machine = 0;     // e_machine
};

std::uint16_t half_word(std::string_view bytes, std::size_t offset, unsigned char byte_order) {
  const auto lo = static_cast<unsigned char>(bytes[offset]);
  const auto hi = static_cast<unsigned char>(bytes[offset + 1]);
  return byte_order == ELFDATA2MSB ? static_cast<std::uint16_t>(lo << 8 | hi)
                                   : static_cast<std::uint16_t>(hi << 8 | lo);
}

ElfTarget target_of(std::string_view bytes) {
  ElfTarget target;
  target.word_size = static_cast<unsigned char>(bytes[EI_CLASS]);
  target.byte_order = static_cast<unsigned char>(bytes[EI_DATA]);
  target.machine = half_word(bytes, offsetof(Elf64_Ehdr, e_machine), target.byte_order);
  return target;
}

// This stella's own target, read from its executable: whatever the plugins must match is exactly
// what the running host was built for.
const ElfTarget& host_target() {
  static const ElfTarget target = [] {
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::string header(kIdentifyingBytes, '\0');
    in.read(header.data(), static_cast<std::streamsize>(header.size()));
    return target_of(header);
  }();
  return target;
}

/// The unsigned field of `width` bytes (2, 4 or 8) at `offset` in the byte order of `target`, or
/// nullopt when it lies past the end of `bytes`.
std::optional<std::uint64_t> field(std::string_view bytes, std::uint64_t offset, unsigned width,
                                   const ElfTarget& target) {
  if (offset > bytes.size() || bytes.size() - offset < width) {
    return std::nullopt;
  }
  std::uint64_t value = 0;
  for (unsigned index = 0; index < width; ++index) {
    const unsigned position = target.byte_order == ELFDATA2MSB ? index : width - 1 - index;
    value = value << 8 | static_cast<unsigned char>(bytes[offset + position]);
  }
  return value;
}

/// Where the fields this check reads sit in a 64-bit or a 32-bit file.
struct ElfLayout {
  unsigned word = 0;  // the size of an address or offset
  std::uint64_t program_headers_offset = 0;
  std::uint64_t program_header_size_offset = 0;
  std::uint64_t program_header_count_offset = 0;
  std::uint64_t segment_offset_offset = 0;
  std::uint64_t segment_file_size_offset = 0;
  std::uint64_t dynamic_entry_size = 0;
};

std::optional<ElfLayout> layout_of(const ElfTarget& target) {
  if (target.word_size == ELFCLASS64) {
    return ElfLayout{8,
                     offsetof(Elf64_Ehdr, e_phoff),
                     offsetof(Elf64_Ehdr, e_phentsize),
                     offsetof(Elf64_Ehdr, e_phnum),
                     offsetof(Elf64_Phdr, p_offset),
                     offsetof(Elf64_Phdr, p_filesz),
                     sizeof(Elf64_Dyn)};
  }
  if (target.word_size == ELFCLASS32) {
    return ElfLayout{4,
                     offsetof(Elf32_Ehdr, e_phoff),
                     offsetof(Elf32_Ehdr, e_phentsize),
                     offsetof(Elf32_Ehdr, e_phnum),
                     offsetof(Elf32_Phdr, p_offset),
                     offsetof(Elf32_Phdr, p_filesz),
                     sizeof(Elf32_Dyn)};
  }
  return std::nullopt;
}

std::string truncated(std::string_view bytes, const std::string& what) {
  return "a truncated ELF file: it ends at " + std::to_string(bytes.size()) +
         " bytes, before its " + what + " (was the copy complete?)";
}

/// Why an ET_DYN file is no shared object, read from its dynamic section: a position-independent
/// executable carries DF_1_PIE, which glibc's dlopen refuses ("cannot dynamically load
/// position-independent executable"); a file cut short cannot be mapped at all. nullopt when it is
/// a shared object, or when its word size is unknown (the machine check names that).
std::optional<std::string> dynamic_section_problem(std::string_view bytes,
                                                   const ElfTarget& target) {
  const std::optional<ElfLayout> layout = layout_of(target);
  if (!layout) {
    return std::nullopt;
  }
  const auto table = field(bytes, layout->program_headers_offset, layout->word, target);
  const auto entry_size = field(bytes, layout->program_header_size_offset, 2, target);
  const auto count = field(bytes, layout->program_header_count_offset, 2, target);
  if (!table || !entry_size || !count) {
    return truncated(bytes, "ELF header's fields");
  }
  if (*count == PN_XNUM) {
    return std::nullopt;  // more than 65,534 program headers: no plugin is built so
  }
  if (*table > bytes.size() ||
      (bytes.size() - *table) / std::max<std::uint64_t>(*entry_size, 1) < *count) {
    return truncated(bytes, "program headers");
  }
  for (std::uint64_t index = 0; index < *count; ++index) {
    const std::uint64_t header = *table + index * *entry_size;
    if (field(bytes, header, 4, target) != PT_DYNAMIC) {
      continue;
    }
    const auto offset = field(bytes, header + layout->segment_offset_offset, layout->word, target);
    const auto size = field(bytes, header + layout->segment_file_size_offset, layout->word, target);
    if (!offset || !size || *offset > bytes.size() || bytes.size() - *offset < *size) {
      return truncated(bytes, "dynamic section");
    }
    for (std::uint64_t entry = *offset; entry + layout->dynamic_entry_size <= *offset + *size;
         entry += layout->dynamic_entry_size) {
      const auto tag = field(bytes, entry, layout->word, target);
      if (tag == DT_NULL) {
        break;
      }
      if (tag == DT_FLAGS_1 &&
          (field(bytes, entry + layout->word, layout->word, target).value_or(0) & DF_1_PIE) != 0) {
        return std::string(
            "a position-independent executable (PIE), not a shared object: dlopen refuses it "
            "(build the plugin as a library: add_library(NAME MODULE ...) in CMake, or -shared)");
      }
    }
  }
  return std::nullopt;
}

std::string machine_name(std::uint16_t machine) {
  switch (machine) {
    case EM_X86_64:
      return "x86-64";
    case EM_386:
      return "i386";
    case EM_AARCH64:
      return "AArch64";
    case EM_ARM:
      return "ARM";
    case EM_RISCV:
      return "RISC-V";
    case EM_PPC64:
      return "PowerPC64";
    case EM_PPC:
      return "PowerPC";
    case EM_S390:
      return "s390";
    case EM_MIPS:
      return "MIPS";
    case EM_LOONGARCH:
      return "LoongArch";
    default:
      return "ELF machine " + std::to_string(machine);
  }
}

std::string describe(const ElfTarget& target) {
  const char* word = target.word_size == ELFCLASS64   ? "64-bit"
                     : target.word_size == ELFCLASS32 ? "32-bit"
                                                      : "unknown word size";
  const char* order = target.byte_order == ELFDATA2LSB   ? "little-endian"
                      : target.byte_order == ELFDATA2MSB ? "big-endian"
                                                         : "unknown byte order";
  return machine_name(target.machine) + " (" + word + ", " + order + ")";
}

}  // namespace

std::optional<std::string> shared_object_problem(std::string_view bytes) {
  if (bytes.size() < kIdentifyingBytes || bytes.compare(0, SELFMAG, ELFMAG) != 0) {
    if (bytes.empty()) {
      return std::string("not an ELF file (it is empty)");
    }
    return "not an ELF file (it starts with " + leading_bytes_hex(bytes, SELFMAG) + ")";
  }
  const ElfTarget target = target_of(bytes);
  const std::uint16_t type = half_word(bytes, offsetof(Elf64_Ehdr, e_type), target.byte_order);
  switch (type) {
    case ET_DYN:
      return dynamic_section_problem(bytes, target);
    case ET_EXEC:
      return std::string("an ELF executable, not a shared object");
    case ET_REL:
      return std::string("an ELF object file (.o), not a linked shared object");
    case ET_CORE:
      return std::string("an ELF core dump, not a shared object");
    default:
      return "an ELF file of type " + std::to_string(type) + ", not a shared object";
  }
}

std::optional<std::string> foreign_library_problem(std::string_view bytes) {
  if (auto problem = shared_object_problem(bytes)) {
    return problem;
  }
  const ElfTarget target = target_of(bytes);
  const ElfTarget& host = host_target();
  if (target.word_size == host.word_size && target.byte_order == host.byte_order &&
      target.machine == host.machine) {
    return std::nullopt;
  }
  return "built for " + describe(target) + "; this stella runs on " + describe(host);
}

std::optional<std::string> foreign_library_file_problem(const std::filesystem::path& library) {
  std::ifstream in(library, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return foreign_library_problem(bytes);
}

}  // namespace stella::host
