// The library check on ELF headers made in the test: every kind of file the check names, and this
// test's own executable, which is what the host's target is read from.
#define BOOST_TEST_MODULE packs_unit
#include <elf.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <string>

#include "packs/plugin_library_format.hpp"

using stella::host::foreign_library_problem;
using stella::host::shared_object_problem;

namespace {

// The first bytes of this process's own executable: an ELF file of the host's own target.
std::string own_header() {
  std::ifstream in("/proc/self/exe", std::ios::binary);
  std::string header(64, '\0');
  in.read(header.data(), static_cast<std::streamsize>(header.size()));
  return header;
}

// `header` with the 16-bit field at `offset` set, in the byte order its EI_DATA says.
std::string with_half_word(std::string header, std::size_t offset, std::uint16_t value) {
  const bool big_endian = header[EI_DATA] == ELFDATA2MSB;
  header[offset] = static_cast<char>(big_endian ? value >> 8 : value & 0xff);
  header[offset + 1] = static_cast<char>(big_endian ? value & 0xff : value >> 8);
  return header;
}

std::string with_type(const std::string& header, std::uint16_t type) {
  return with_half_word(header, offsetof(Elf64_Ehdr, e_type), type);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_shared_object_of_the_host_target_passes_both_checks) {
  // Test executables are position-independent: ET_DYN, like a shared object.
  const std::string header = with_type(own_header(), ET_DYN);
  BOOST_TEST(!shared_object_problem(header).has_value());
  BOOST_TEST(!foreign_library_problem(header).has_value());
}

BOOST_AUTO_TEST_CASE(files_that_are_no_shared_object_are_named) {
  BOOST_TEST(*shared_object_problem("") == "not an ELF file (it is empty)");
  BOOST_TEST(*shared_object_problem("\x7f"
                                    "EL") == "not an ELF file (it starts with 7f 45 4c)");
  BOOST_TEST(*shared_object_problem("PK\x03\x04 a zip, not a library") ==
             "not an ELF file (it starts with 50 4b 03 04)");
  const std::string header = own_header();
  BOOST_TEST(*shared_object_problem(with_type(header, ET_EXEC)) ==
             "an ELF executable, not a shared object");
  BOOST_TEST(*shared_object_problem(with_type(header, ET_REL)) ==
             "an ELF object file (.o), not a linked shared object");
  BOOST_TEST(*shared_object_problem(with_type(header, ET_CORE)) ==
             "an ELF core dump, not a shared object");
  // The machine check reports the same reason first.
  BOOST_TEST(*foreign_library_problem(with_type(header, ET_EXEC)) ==
             "an ELF executable, not a shared object");
}

BOOST_AUTO_TEST_CASE(another_machine_word_size_or_byte_order_is_named_with_the_hosts) {
  const std::string header = with_type(own_header(), ET_DYN);

  const std::string s390 = with_half_word(header, offsetof(Elf64_Ehdr, e_machine), EM_S390);
  const auto machine = foreign_library_problem(s390);
  BOOST_REQUIRE(machine.has_value());
  BOOST_TEST(machine->rfind("built for s390 (", 0) == 0, *machine);
  BOOST_TEST(machine->find("; this stella runs on ") != std::string::npos, *machine);

  std::string other_word = header;
  other_word[EI_CLASS] = header[EI_CLASS] == ELFCLASS64 ? ELFCLASS32 : ELFCLASS64;
  const auto word = foreign_library_problem(other_word);
  BOOST_REQUIRE(word.has_value());
  BOOST_TEST(word->find(header[EI_CLASS] == ELFCLASS64 ? "32-bit" : "64-bit") != std::string::npos,
             *word);

  const std::string unknown = with_half_word(header, offsetof(Elf64_Ehdr, e_machine), 0x7777);
  const auto unnamed = foreign_library_problem(unknown);
  BOOST_REQUIRE(unnamed.has_value());
  BOOST_TEST(unnamed->rfind("built for ELF machine 30583 (", 0) == 0, *unnamed);
}
