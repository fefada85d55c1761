// The directory importers' walk beside the read (plugins/importer-common/background_walk.hpp):
// the keys it gives are those of every file but the list's own, and an unsafe entry or too many
// entries fail it — through finish() and through the per-file check the reading thread makes,
// once the walk is over. The CLI tests see the same refusals through a whole import, where when
// the reading thread notices depends on timing; here nothing does.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <limits>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "background_walk.hpp"
#include "bundle_test_support.hpp"
#include "stella/sdk/error.hpp"

namespace stella_importer {
namespace {

namespace fs = std::filesystem;
using stella::test::ScratchDir;

stella::sdk::ImportLimits roomy_limits() {
  stella::sdk::ImportLimits limits;
  limits.max_total_bytes = std::numeric_limits<std::uint64_t>::max();
  limits.max_entries = 1000;
  limits.max_json_bytes = 1 << 20;
  limits.max_artifact_bytes = 1 << 20;
  return limits;
}

void write_file(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path) << text;
}

/// manifest.json, checksums.sha256 (the list: no key) and two artifacts a level apart.
void write_small_tree(const fs::path& root) {
  write_file(root / "manifest.json", "{}");
  write_file(root / "checksums.sha256", "");
  write_file(root / "tenants/acme/bundles/b1/bundle.json", "{}");
  write_file(root / "tenants/acme/bundles/b1/artifacts/sbom/cyclonedx.json", "{}");
}

std::vector<PathKey> sorted_keys(std::vector<std::string> paths) {
  std::vector<PathKey> keys;
  for (const std::string& path : paths) {
    keys.push_back(path_key(path));
  }
  std::sort(keys.begin(), keys.end());
  return keys;
}

/// Runs `call`, which must throw sdk::Error(invalid_input) whose message holds `named`.
template <typename Call>
void require_refusal(Call call, const std::string& named) {
  try {
    call();
  } catch (const stella::sdk::Error& error) {
    BOOST_CHECK(error.code() == stella::sdk::ErrorCode::invalid_input);
    BOOST_CHECK_MESSAGE(std::string(error.what()).find(named) != std::string::npos,
                        "the refusal names " + named + ": " + error.what());
    return;
  }
  BOOST_FAIL("expected a refusal naming " + named);
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_walk_gives_the_key_of_every_file_but_the_list) {
  ScratchDir scratch("stella-walk-test");
  write_small_tree(scratch.path());
  BackgroundWalk walk(scratch.path().string(), roomy_limits(), "checksums.sha256");
  const std::vector<PathKey>& keys = walk.finish();
  BOOST_CHECK(keys == sorted_keys({"manifest.json", "tenants/acme/bundles/b1/bundle.json",
                                   "tenants/acme/bundles/b1/artifacts/sbom/cyclonedx.json"}));
  BOOST_CHECK_EQUAL(walk.total_files().load(), 3u);
  BOOST_CHECK_NO_THROW(walk.rethrow_if_failed());
}

BOOST_AUTO_TEST_CASE(a_fifo_fails_the_walk_and_the_reads_checked_after_it) {
  ScratchDir scratch("stella-walk-test");
  write_small_tree(scratch.path());
  const fs::path fifo = scratch.path() / "tenants/acme/bundles/b1/artifacts/pipe";
  BOOST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
  BackgroundWalk walk(scratch.path().string(), roomy_limits(), "checksums.sha256");
  require_refusal([&] { walk.finish(); }, "tenants/acme/bundles/b1/artifacts/pipe");
  // The walk is over: the reading thread's check before its next file throws the same refusal.
  require_refusal([&] { walk.rethrow_if_failed(); }, "tenants/acme/bundles/b1/artifacts/pipe");
  BOOST_CHECK_EQUAL(walk.total_files().load(), 0u);
}

BOOST_AUTO_TEST_CASE(a_symbolic_link_anywhere_fails_the_walk) {
  ScratchDir scratch("stella-walk-test");
  write_small_tree(scratch.path());
  // A link no list names is still refused: the walk never follows it, but its presence means the
  // directory is not what the export wrote.
  fs::create_symlink("/etc", scratch.path() / "tenants/acme/elsewhere");
  BackgroundWalk walk(scratch.path().string(), roomy_limits(), "checksums.sha256");
  require_refusal([&] { walk.finish(); }, "tenants/acme/elsewhere");
}

BOOST_AUTO_TEST_CASE(more_entries_than_the_limit_fail_the_walk) {
  ScratchDir scratch("stella-walk-test");
  write_small_tree(scratch.path());
  stella::sdk::ImportLimits limits = roomy_limits();
  limits.max_entries = 4;
  BackgroundWalk walk(scratch.path().string(), limits, "checksums.sha256");
  require_refusal([&] { walk.finish(); }, "more than 4 entries");
}

BOOST_AUTO_TEST_CASE(a_walk_given_up_before_it_ends_leaves_nothing_running) {
  ScratchDir scratch("stella-walk-test");
  for (int i = 0; i < 200; ++i) {
    write_file(scratch.path() / ("d" + std::to_string(i)) / "f.json", "{}");
  }
  // As when the read fails first: the walk is destroyed without finish(), and must stop and be
  // joined (a thread left running would end the test binary with std::terminate).
  { BackgroundWalk walk(scratch.path().string(), roomy_limits(), "checksums.sha256"); }
  BackgroundWalk again(scratch.path().string(), roomy_limits(), "checksums.sha256");
  BOOST_CHECK_EQUAL(again.finish().size(), 200u);
}

}  // namespace stella_importer
