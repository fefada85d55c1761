// The fuzz targets' saved inputs, replayed in the normal build (tools/fuzz/run-fuzz.sh finds new
// ones under the sanitizers). A seed named valid-* is a real export, pack or plan and must pass;
// every other input must come to a verdict — a crash or an unexpected exception fails the suite.
#define BOOST_TEST_MODULE fuzz_corpus
#include <boost/test/data/test_case.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "pack_reading.hpp"
#include "plan_reading.hpp"
#include "source_reading.hpp"
#include "support/run_cli_process.hpp"

namespace fs = std::filesystem;
using stella::fuzz::Verdict;
using stella::test::read_text_file;
using stella::test::required_env;

namespace {

using Reader = Verdict (*)(const std::uint8_t*, std::size_t);

std::vector<fs::path> corpus(const std::string& target) {
  const fs::path directory =
      fs::path(required_env("STELLA_SOURCE_DIR")) / "tests" / "fuzz" / "corpus" / target;
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(directory)) {
    inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  return inputs;
}

Verdict read(Reader reader, const std::string& bytes) {
  return reader(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}

bool is_valid_seed(const fs::path& input) {
  return input.filename().string().rfind("valid-", 0) == 0;
}

void replay(const std::string& target, Reader reader) {
  const std::vector<fs::path> inputs = corpus(target);
  BOOST_TEST_REQUIRE(std::count_if(inputs.begin(), inputs.end(), is_valid_seed) > 0,
                     "no valid-* seed under tests/fuzz/corpus/" << target);
  for (const fs::path& input : inputs) {
    BOOST_TEST_CONTEXT(input.filename().string()) {
      const Verdict verdict = read(reader, read_text_file(input.string()));
      if (is_valid_seed(input)) {
        BOOST_TEST((verdict == Verdict::passed));
      }
    }
  }
}

// Where the contents of the first regular file whose tar header names `marker` begin.
std::size_t contents_of_entry(const std::string& tar, const std::string& marker) {
  constexpr std::size_t kBlock = 512;
  constexpr std::size_t kNameBytes = 100;
  constexpr std::size_t kTypeFlag = 156;
  for (std::size_t header = 0; header + 2 * kBlock <= tar.size(); header += kBlock) {
    const std::string name = tar.substr(header, kNameBytes).c_str();
    const char type = tar[header + kTypeFlag];
    if ((type == '0' || type == '\0') && name.find(marker) != std::string::npos) {
      return header + kBlock;
    }
  }
  return std::string::npos;
}

// Damage that a target must notice: one byte of the contents of a file in a tar (a bundle's
// artifact, a pack's library), or a number in a plan past its field's range.
using Damage = std::function<void(std::string&)>;

Damage flip_a_byte_of_a_file_named_like(const std::string& marker) {
  return [marker](std::string& tar) {
    const std::size_t contents = contents_of_entry(tar, marker);
    BOOST_TEST_REQUIRE(contents != std::string::npos, "no file named like " << marker);
    tar[contents] = static_cast<char>(tar[contents] ^ 0x01);
  };
}

void make_the_batch_size_too_large(std::string& plan) {
  const std::string field = "\"batchSize\": ";
  const std::size_t at = plan.find(field);
  BOOST_TEST_REQUIRE(at != std::string::npos);
  const std::size_t end = plan.find(',', at);
  plan.replace(at, end - at, field + "18446744073709551615");
}

// Each fuzz target: its corpus folder, its reader, and damage to its valid seeds it must notice
// (with the verdict that says so), so that the harness cannot silently stop checking.
struct Target {
  std::string name;
  Reader reader;
  Damage damage;
  Verdict damaged;
};

std::ostream& operator<<(std::ostream& out, const Target& target) {
  return out << target.name;
}

const std::vector<Target> kTargets{
    {"portable_archive", stella::fuzz::read_as_portable_archive,
     flip_a_byte_of_a_file_named_like("/artifacts/"), Verdict::problems},
    {"bundle_directory", stella::fuzz::read_as_directory,
     flip_a_byte_of_a_file_named_like("/artifacts/"), Verdict::problems},
    {"plugin_pack", stella::fuzz::read_as_plugin_pack, flip_a_byte_of_a_file_named_like(".so"),
     Verdict::problems},
    {"migration_plan", stella::fuzz::read_as_migration_plan, make_the_batch_size_too_large,
     Verdict::refused},
};

}  // namespace

BOOST_DATA_TEST_CASE(every_saved_input_comes_to_a_verdict, kTargets, target) {
  replay(target.name, target.reader);
}

BOOST_DATA_TEST_CASE(damage_to_a_valid_seed_is_noticed, kTargets, target) {
  const std::vector<fs::path> inputs = corpus(target.name);
  const auto seed = std::find_if(inputs.begin(), inputs.end(), is_valid_seed);
  BOOST_TEST_REQUIRE((seed != inputs.end()));
  std::string bytes = read_text_file(seed->string());
  BOOST_TEST_REQUIRE((read(target.reader, bytes) == Verdict::passed));
  target.damage(bytes);
  BOOST_TEST((read(target.reader, bytes) == target.damaged));
}
