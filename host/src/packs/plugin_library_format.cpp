#include "packs/plugin_library_format.hpp"

#include <elf.h>

#include <cstddef>
#include <cstdint>
#include <fstream>

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
      return std::nullopt;
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

}  // namespace stella::host
