// The library check on real files and on ELF headers made in the test: every kind of file the
// check names — the C library as a shared object, this test's own executable as a PIE, both cut
// short — and the host's target, read from this executable.
#define BOOST_TEST_MODULE packs_unit
#include <dlfcn.h>
#include <elf.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <iterator>
#include <string>

#include "packs/plugin_library_format.hpp"

using stella::host::foreign_library_problem;
using stella::host::shared_object_problem;

namespace {

std::string whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The first bytes of this process's own executable: an ELF file of the host's own target.
std::string own_header() {
  return whole_file("/proc/self/exe").substr(0, 64);
}

// A real shared object of the host's own target: the C library this test runs with.
std::string c_library() {
  Dl_info info{};
  BOOST_REQUIRE(::dladdr(reinterpret_cast<void*>(&::getpid), &info) != 0);
  return whole_file(info.dli_fname);
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
  const std::string library = c_library();
  BOOST_TEST(!shared_object_problem(library).has_value(), *shared_object_problem(library));
  BOOST_TEST(!foreign_library_problem(library).has_value());
}

BOOST_AUTO_TEST_CASE(a_position_independent_executable_is_no_shared_object) {
  // Test executables are position-independent: ET_DYN like a shared object, and marked DF_1_PIE.
  const auto problem = shared_object_problem(whole_file("/proc/self/exe"));
  BOOST_REQUIRE(problem.has_value());
  BOOST_TEST(problem->rfind("a position-independent executable (PIE), not a shared object", 0) == 0,
             *problem);
}

BOOST_AUTO_TEST_CASE(a_shared_object_cut_short_is_named_truncated) {
  const std::string library = c_library();
  for (const std::size_t kept : {std::size_t{40}, std::size_t{64}, library.size() / 2}) {
    const auto problem = shared_object_problem(library.substr(0, kept));
    BOOST_REQUIRE_MESSAGE(problem.has_value(), kept << " bytes passed");
    BOOST_TEST(problem->rfind("a truncated ELF file: it ends at " + std::to_string(kept) +
                                  " bytes, before its ",
                              0) == 0,
               *problem);
  }
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
  const std::string header = c_library();

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
