// install: verify first (nothing written when it fails), then unpack atomically, keeping the pack
// manifest and signature beside each plugin.
#include <boost/test/unit_test.hpp>

#include "packs/pack_test_support.hpp"

using namespace stella::test;

BOOST_AUTO_TEST_SUITE(install)

BOOST_AUTO_TEST_CASE(install_keeps_the_signed_manifest_beside_the_plugin_and_can_reinstall) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  const fs::path pack = make_marker_pack(scratch.path(), "release");
  const fs::path plugins = scratch.path() / "plugins";
  for (int round = 0; round < 2; ++round) {
    const ProcessResult result = run_stella({"plugins", "install", pack.string(), "--plugin-dir",
                                             plugins.string(), "--trusted-keys", trusted.string()});
    BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "install: " << result.err);
    CHECK_CONTAINS(result.out, "installed pack test-pack");
  }
  for (const char* file :
       {"manifest.json", "libpack_marker.so", "pack-manifest.json", "pack-manifest.sig"}) {
    BOOST_CHECK_MESSAGE(fs::is_regular_file(plugins / "pack-marker" / file), file << " missing");
  }
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(plugins)) {
    ++entries;
    BOOST_CHECK_MESSAGE(entry.path().filename() == "pack-marker", "left behind: " << entry.path());
  }
  BOOST_CHECK_EQUAL(entries, 1u);
}

BOOST_AUTO_TEST_CASE(install_of_a_pack_that_does_not_verify_writes_nothing) {
  PackScratch scratch;
  make_keys(scratch.path(), "release");
  const fs::path other = make_keys(scratch.path(), "other");
  const fs::path pack = make_marker_pack(scratch.path(), "release");
  const fs::path plugins = scratch.path() / "plugins";
  const ProcessResult result = run_stella({"plugins", "install", pack.string(), "--plugin-dir",
                                           plugins.string(), "--trusted-keys", other.string()});
  BOOST_CHECK_EQUAL(result.exit_code, 1);
  CHECK_CONTAINS(result.err, "does not verify; nothing was installed");
  CHECK_CONTAINS(result.err, "trusted-key check failed");
  BOOST_CHECK(!fs::exists(plugins / "pack-marker"));
}

BOOST_AUTO_TEST_CASE(install_refuses_path_traversal_in_the_archive) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  shell(
      "mkdir -p a/b && echo x > a/escape.so && cd a/b && tar -P -czf ../../evil.tar.gz "
      "../escape.so\n",
      scratch.path());
  const fs::path plugins = scratch.path() / "plugins";
  const ProcessResult result =
      run_stella({"plugins", "install", (scratch.path() / "evil.tar.gz").string(), "--plugin-dir",
                  plugins.string(), "--trusted-keys", trusted.string()});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err, "path traversal");
  BOOST_CHECK(!fs::exists(scratch.path() / "escape.so"));
  BOOST_CHECK(!fs::exists(plugins) || fs::is_empty(plugins));
}

BOOST_AUTO_TEST_SUITE_END()
