// The trust check before dlopen: a plugin from a pack that no longer matches its signed manifest,
// or whose signer is not trusted, or an unsigned plugin without --allow-unsigned, is never loaded.
// The marker fixture proves it: its constructor function writes a file the moment dlopen runs it.
#include <boost/test/unit_test.hpp>

#include "packs/pack_test_support.hpp"

using namespace stella::test;

namespace {

struct InstalledMarker {
  PackScratch scratch;
  fs::path trusted;
  fs::path plugins;
  fs::path markers;
  InstalledMarker() {
    trusted = make_keys(scratch.path(), "release");
    const fs::path pack = make_marker_pack(scratch.path(), "release");
    plugins = scratch.path() / "plugins";
    markers = scratch.path() / "markers";
    const ProcessResult result = run_stella({"plugins", "install", pack.string(), "--plugin-dir",
                                             plugins.string(), "--trusted-keys", trusted.string()});
    BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "install: " << result.err);
  }
  /// `plugins list --format json` over the installed plugin, with the marker directory set.
  rapidjson::Document list(const fs::path& trusted_keys) {
    const ProcessResult result =
        run_stella_marked({"plugins", "list", "--format", "json", "--plugin-dir", plugins.string(),
                           "--trusted-keys", trusted_keys.string()},
                          markers);
    BOOST_REQUIRE_MESSAGE(result.exit_code == 0, "list: " << result.err);
    return schema_checked_json(result.out, "plugins-list.schema.json");
  }
};

void check_refused(const rapidjson::Value& entry, const std::string& reason_part,
                   const fs::path& markers) {
  BOOST_CHECK_EQUAL(entry["status"].GetString(), std::string("broken"));
  CHECK_CONTAINS(entry["reason"].GetString(), "failed its trust check and was not loaded");
  CHECK_CONTAINS(entry["reason"].GetString(), reason_part);
  BOOST_CHECK(!entry["remedy"].IsNull());
  BOOST_CHECK_MESSAGE(!marker_present(markers), "code of a refused plugin ran");
}

}  // namespace

BOOST_AUTO_TEST_SUITE(trust_before_dlopen)

BOOST_AUTO_TEST_CASE(an_installed_pack_loads_and_the_marker_shows_its_code_ran) {
  InstalledMarker installed;
  const auto list = installed.list(installed.trusted);
  const auto& entry = listed(list, "pack-marker");
  BOOST_CHECK_EQUAL(entry["status"].GetString(), std::string("loaded"));
  BOOST_CHECK_EQUAL(entry["trust"].GetString(), std::string("signed-pack"));
  BOOST_CHECK_EQUAL(entry["pack"].GetString(), std::string("test-pack"));
  CHECK_CONTAINS(entry["signer"].GetString(), "sha256:");
  // Without this, "marker absent" below would prove nothing.
  BOOST_CHECK(marker_present(installed.markers));
}

BOOST_AUTO_TEST_CASE(a_library_changed_after_install_is_refused_before_dlopen) {
  InstalledMarker installed;
  const fs::path library = installed.plugins / "pack-marker" / "libpack_marker.so";
  shell("printf 'tampered' >> '" + library.string() + "'", installed.scratch.path());
  const auto list = installed.list(installed.trusted);
  check_refused(listed(list, "pack-marker"),
                library.string() + ": digest check failed: found sha256:", installed.markers);
  CHECK_CONTAINS(listed(list, "pack-marker")["remedy"].GetString(), "reinstall the pack");
}

BOOST_AUTO_TEST_CASE(an_edited_pack_manifest_fails_the_signature_check_before_dlopen) {
  InstalledMarker installed;
  shell(
      "sed -i 's/\"packId\": \"test-pack\"/\"packId\": \"evil-pack\"/' "
      "plugins/pack-marker/pack-manifest.json",
      installed.scratch.path());
  const auto list = installed.list(installed.trusted);
  check_refused(listed(list, "pack-marker"), "pack-manifest.sig: signature check failed",
                installed.markers);
}

BOOST_AUTO_TEST_CASE(a_pack_signed_by_an_untrusted_key_is_refused_before_dlopen) {
  InstalledMarker installed;
  const fs::path other = make_keys(installed.scratch.path(), "other");
  const auto list = installed.list(other);
  check_refused(listed(list, "pack-marker"), "pack-manifest.sig: trusted-key check failed",
                installed.markers);
  // And with no trusted keys at all.
  const ProcessResult none = run_stella_marked(
      {"plugins", "inspect", "pack-marker", "--plugin-dir", installed.plugins.string()},
      installed.markers);
  BOOST_CHECK_EQUAL(none.exit_code, 0);
  CHECK_CONTAINS(none.out, "no trusted keys were given");
  CHECK_CONTAINS(none.out, "--trusted-keys DIR");
  BOOST_CHECK(!marker_present(installed.markers));
}

BOOST_AUTO_TEST_CASE(an_installed_pack_for_another_abi_is_refused_before_dlopen) {
  InstalledMarker installed;
  const fs::path folder = installed.plugins / "pack-marker";
  shell(
      "sed -i 's/^  \"abi\": 1,/  \"abi\": 2,/' pack-manifest.json\n"
      "grep -q '^  \"abi\": 2,' pack-manifest.json\n",
      folder);
  resign_pack_manifest(folder, installed.scratch.path(), "release");
  const auto list = installed.list(installed.trusted);
  check_refused(listed(list, "pack-marker"),
                "abi check failed: pack 'test-pack' was built for ABI 2", installed.markers);
  BOOST_CHECK(!contains(listed(list, "pack-marker")["reason"].GetString(), "signature check"));
}

BOOST_AUTO_TEST_CASE(an_unsigned_plugin_loads_only_with_allow_unsigned_and_is_marked) {
  PackScratch scratch;
  const fs::path markers = scratch.path() / "markers";
  const std::string folder = marker_plugin_folder().string();
  const ProcessResult refused =
      run_stella_marked({"plugins", "list", "--format", "json", "--plugin-dir", folder}, markers);
  BOOST_REQUIRE_EQUAL(refused.exit_code, 0);
  const auto list = schema_checked_json(refused.out, "plugins-list.schema.json");
  const auto& entry = listed(list, "pack-marker");
  BOOST_CHECK_EQUAL(entry["status"].GetString(), std::string("broken"));
  BOOST_CHECK_EQUAL(entry["trust"].GetString(), std::string("unsigned"));
  CHECK_CONTAINS(entry["reason"].GetString(), "unsigned plugin 'pack-marker' was not loaded");
  CHECK_CONTAINS(entry["remedy"].GetString(), "--allow-unsigned");
  BOOST_CHECK_MESSAGE(!marker_present(markers), "code of an unsigned plugin ran");

  const ProcessResult allowed =
      run_stella_marked({"plugins", "list", "--plugin-dir", folder, "--allow-unsigned"}, markers);
  BOOST_REQUIRE_EQUAL(allowed.exit_code, 0);
  CHECK_CONTAINS(allowed.out, "loaded (unsigned)");
  BOOST_CHECK(marker_present(markers));
}

BOOST_AUTO_TEST_CASE(the_shipped_plugins_next_to_stella_load_without_any_flag) {
  const ProcessResult result = run_stella({"plugins", "list", "--format", "json"});
  BOOST_REQUIRE_EQUAL(result.exit_code, 0);
  const auto list = schema_checked_json(result.out, "plugins-list.schema.json");
  const auto& entry = listed(list, "hash-sha256");
  BOOST_CHECK_EQUAL(entry["status"].GetString(), std::string("loaded"));
  BOOST_CHECK_EQUAL(entry["trust"].GetString(), std::string("shipped"));
}

BOOST_AUTO_TEST_SUITE_END()
