// The plugin library's ELF header, judged before anything is installed or loaded: `plugins pack`
// refuses a file that is no shared object; `plugins verify` and `plugins install` also refuse a
// library built for another machine, naming both machines.
#include <boost/test/unit_test.hpp>

#include "packs/pack_test_support.hpp"

using namespace stella::test;

namespace {

// Extracts the marker pack into <scratch>/x, lets `change` (a shell script run in x) alter the
// library, then lists its new digest and size in pack-manifest.json, re-signs it with the release
// key and packs <scratch>/changed.tar.gz: a pack whose publisher signed that library.
fs::path signed_pack_with_changed_library(const fs::path& scratch, const std::string& change) {
  make_marker_pack(scratch, "release");
  shell("mkdir x && cd x && tar xzf ../marker-pack.tar.gz\n" + change, scratch);
  shell(
      "cd x && python3 - <<'EOF'\n"
      "import hashlib, json\n"
      "library = 'plugins/pack-marker/libpack_marker.so'\n"
      "data = open(library, 'rb').read()\n"
      "manifest = json.load(open('pack-manifest.json'))\n"
      "for entry in manifest['plugins'][0]['files']:\n"
      "    if entry['path'] == 'libpack_marker.so':\n"
      "        entry['sha256'] = 'sha256:' + hashlib.sha256(data).hexdigest()\n"
      "        entry['size'] = len(data)\n"
      "open('pack-manifest.json', 'w').write(json.dumps(manifest, indent=2) + '\\n')\n"
      "EOF\n",
      scratch);
  resign_pack_manifest(scratch / "x", scratch, "release");
  shell("cd x && tar czf ../changed.tar.gz pack-manifest.json pack-manifest.sig plugins\n",
        scratch);
  return scratch / "changed.tar.gz";
}

// e_machine of a little-endian ELF file, at byte 18, set to RISC-V (243).
const char* kRetargetToRiscV =
    "printf '\\363\\000' | dd of=plugins/pack-marker/libpack_marker.so bs=1 seek=18 "
    "conv=notrunc status=none\n";

}  // namespace

BOOST_AUTO_TEST_SUITE(plugin_library)

BOOST_AUTO_TEST_CASE(pack_refuses_a_library_that_is_not_a_shared_object) {
  PackScratch scratch;
  make_keys(scratch.path(), "release");
  shell("cp -r '" + marker_plugin_folder().string() +
            "' plugin && printf 'not a library\\n' > plugin/libpack_marker.so\n",
        scratch.path());
  const ProcessResult result =
      run_stella({"plugins", "pack", "--output", (scratch.path() / "p.tar.gz").string(), "--key",
                  (scratch.path() / "keys-release" / "release.key").string(),
                  (scratch.path() / "plugin").string()});
  BOOST_CHECK_EQUAL(result.exit_code, 2);
  CHECK_CONTAINS(result.err,
                 "plugin/libpack_marker.so: the manifest names it as the plugin's library, but it "
                 "is not an ELF file (it starts with 6e 6f 74 20)");
  BOOST_CHECK(!fs::exists(scratch.path() / "p.tar.gz"));
}

BOOST_AUTO_TEST_CASE(verify_and_install_refuse_a_signed_library_built_for_another_machine) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  const fs::path pack = signed_pack_with_changed_library(scratch.path(), kRetargetToRiscV);

  const ProcessResult verified =
      run_stella({"plugins", "verify", pack.string(), "--trusted-keys", trusted.string()});
  BOOST_CHECK_EQUAL(verified.exit_code, 1);
  CHECK_CONTAINS(verified.err,
                 "plugins/pack-marker/libpack_marker.so: library check failed: plugin "
                 "'pack-marker' library is built for RISC-V (64-bit, little-endian); this stella "
                 "runs on ");
  CHECK_CONTAINS(verified.err, "use the pack built for this machine");
  CHECK_CONTAINS(verified.err, "1 check(s) failed");
  const ProcessResult json = run_stella(
      {"plugins", "verify", pack.string(), "--trusted-keys", trusted.string(), "--format", "json"});
  BOOST_CHECK_EQUAL(json.exit_code, 1);
  const auto report = schema_checked_json(json.out, "plugin-pack-verify.schema.json");
  BOOST_REQUIRE_EQUAL(report["problems"].Size(), 1u);
  BOOST_CHECK_EQUAL(report["problems"][0]["check"].GetString(), std::string("library"));

  const fs::path plugins = scratch.path() / "plugins";
  const ProcessResult installed =
      run_stella({"plugins", "install", pack.string(), "--plugin-dir", plugins.string(),
                  "--trusted-keys", trusted.string()});
  BOOST_CHECK_EQUAL(installed.exit_code, 1);
  CHECK_CONTAINS(installed.err, "does not verify; nothing was installed");
  CHECK_CONTAINS(installed.err, "built for RISC-V");
  BOOST_CHECK(!fs::exists(plugins / "pack-marker"));
}

BOOST_AUTO_TEST_CASE(verify_names_a_signed_library_that_is_an_executable_or_no_elf_file) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  // e_type (byte 16) set to ET_EXEC (2).
  const fs::path executable = signed_pack_with_changed_library(
      scratch.path(),
      "printf '\\002\\000' | dd of=plugins/pack-marker/libpack_marker.so bs=1 seek=16 "
      "conv=notrunc status=none\n");
  const ProcessResult result =
      run_stella({"plugins", "verify", executable.string(), "--trusted-keys", trusted.string()});
  BOOST_CHECK_EQUAL(result.exit_code, 1);
  CHECK_CONTAINS(result.err,
                 "library check failed: plugin 'pack-marker' library is an ELF executable, not a "
                 "shared object");
  CHECK_CONTAINS(result.err, "do not use this pack");

  PackScratch other;
  const fs::path other_trusted = make_keys(other.path(), "release");
  const fs::path text = signed_pack_with_changed_library(
      other.path(), "printf '#!/bin/sh\\n' > plugins/pack-marker/libpack_marker.so\n");
  const ProcessResult text_result =
      run_stella({"plugins", "verify", text.string(), "--trusted-keys", other_trusted.string()});
  BOOST_CHECK_EQUAL(text_result.exit_code, 1);
  CHECK_CONTAINS(text_result.err, "library is not an ELF file (it starts with 23 21 2f 62)");
}

BOOST_AUTO_TEST_SUITE_END()
