// keygen, pack and verify: the signature, the trusted keys, every digest, the ABI and unsafe
// archives, each failure named with its file and check.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "packs/pack_test_support.hpp"

using namespace stella::test;

namespace {

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

ProcessResult verify(const fs::path& pack, const fs::path& trusted) {
  return run_stella({"plugins", "verify", pack.string(), "--trusted-keys", trusted.string()});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(signing)

BOOST_AUTO_TEST_CASE(keygen_writes_a_private_key_only_its_owner_reads_and_never_overwrites) {
  PackScratch scratch;
  make_keys(scratch.path(), "release");
  struct stat info {};
  BOOST_REQUIRE_EQUAL(::stat((scratch.path() / "keys-release" / "release.key").c_str(), &info), 0);
  constexpr mode_t kPermissionBits = 0777;
  BOOST_CHECK_EQUAL(info.st_mode & kPermissionBits, 0600u);
  const std::string before = file_bytes(scratch.path() / "keys-release" / "release.key");
  const ProcessResult again =
      run_stella({"plugins", "keygen", "--output-dir", (scratch.path() / "keys-release").string(),
                  "--name", "release"});
  BOOST_CHECK_EQUAL(again.exit_code, 3);
  CHECK_CONTAINS(again.err, "release.key: already exists; keygen never overwrites a key");
  BOOST_CHECK(file_bytes(scratch.path() / "keys-release" / "release.key") == before);
}

BOOST_AUTO_TEST_CASE(a_pack_verifies_with_its_key_and_the_same_plugins_give_the_same_bytes) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  const fs::path first = make_marker_pack(scratch.path(), "release", "first.tar.gz");
  const fs::path second = make_marker_pack(scratch.path(), "release", "second.tar.gz");
  BOOST_CHECK_MESSAGE(file_bytes(first) == file_bytes(second), "packing is not deterministic");
  const ProcessResult result = verify(first, trusted);
  BOOST_CHECK_EQUAL(result.exit_code, 0);
  CHECK_CONTAINS(result.out, "verified: pack test-pack for stella");
  CHECK_CONTAINS(result.out, "pack-marker 1.0.0: 2 files, every digest matches");
  // The layout the format documents.
  const ProcessResult listing = run_shell("tar tzf '" + first.string() + "'");
  CHECK_CONTAINS(listing.out, "pack-manifest.json\n");
  CHECK_CONTAINS(listing.out, "pack-manifest.sig\n");
  CHECK_CONTAINS(listing.out, "plugins/pack-marker/libpack_marker.so\n");
  CHECK_CONTAINS(listing.out, "plugins/pack-marker/manifest.json\n");
  const ProcessResult json = run_stella({"plugins", "verify", first.string(), "--trusted-keys",
                                         trusted.string(), "--format", "json"});
  BOOST_CHECK_EQUAL(json.exit_code, 0);
  const auto report = schema_checked_json(json.out, "plugin-pack-verify.schema.json");
  BOOST_CHECK(report["verified"].GetBool());
}

BOOST_AUTO_TEST_CASE(an_untrusted_signer_or_no_trusted_keys_fails_the_trusted_key_check) {
  PackScratch scratch;
  make_keys(scratch.path(), "release");
  const fs::path other = make_keys(scratch.path(), "other");
  const fs::path pack = make_marker_pack(scratch.path(), "release");
  const ProcessResult untrusted = verify(pack, other);
  BOOST_CHECK_EQUAL(untrusted.exit_code, 1);
  CHECK_CONTAINS(untrusted.err,
                 "pack-manifest.sig: trusted-key check failed: signed by key sha256:");
  CHECK_CONTAINS(untrusted.err, "which is not among the trusted keys in " + other.string());
  const ProcessResult none = run_stella({"plugins", "verify", pack.string()});
  BOOST_CHECK_EQUAL(none.exit_code, 1);
  CHECK_CONTAINS(none.err,
                 "pack-manifest.sig: trusted-key check failed: no trusted keys were given");
}

BOOST_AUTO_TEST_CASE(a_changed_library_fails_its_digest_check_naming_the_file) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  const fs::path pack = make_marker_pack(scratch.path(), "release");
  shell(
      "mkdir x && cd x && tar xzf ../marker-pack.tar.gz\n"
      "printf 'tampered' >> plugins/pack-marker/libpack_marker.so\n"
      "tar czf ../tampered.tar.gz pack-manifest.json pack-manifest.sig plugins\n",
      scratch.path());
  const ProcessResult result = verify(scratch.path() / "tampered.tar.gz", trusted);
  BOOST_CHECK_EQUAL(result.exit_code, 1);
  CHECK_CONTAINS(result.err,
                 "plugins/pack-marker/libpack_marker.so: digest check failed: found sha256:");
  CHECK_CONTAINS(result.err, "pack-manifest.json says sha256:");
  CHECK_CONTAINS(result.err, "1 check(s) failed");
}

BOOST_AUTO_TEST_CASE(a_changed_pack_manifest_fails_the_signature_check) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  make_marker_pack(scratch.path(), "release");
  shell(
      "mkdir x && cd x && tar xzf ../marker-pack.tar.gz\n"
      "sed -i 's/\"packId\": \"test-pack\"/\"packId\": \"evil-pack\"/' pack-manifest.json\n"
      "grep -q evil-pack pack-manifest.json\n"
      "tar czf ../resigned.tar.gz pack-manifest.json pack-manifest.sig plugins\n",
      scratch.path());
  const ProcessResult result = verify(scratch.path() / "resigned.tar.gz", trusted);
  BOOST_CHECK_EQUAL(result.exit_code, 1);
  CHECK_CONTAINS(result.err, "pack-manifest.sig: signature check failed: the Ed25519 signature by");
  CHECK_CONTAINS(result.err, "does not match the bytes of pack-manifest.json");
}

BOOST_AUTO_TEST_CASE(a_pack_for_another_abi_fails_the_abi_check_even_when_signed) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  make_marker_pack(scratch.path(), "release");
  shell(
      "mkdir x && cd x && tar xzf ../marker-pack.tar.gz\n"
      "sed -i 's/^  \"abi\": 1,/  \"abi\": 2,/' pack-manifest.json\n"
      "grep -q '^  \"abi\": 2,' pack-manifest.json\n",
      scratch.path());
  resign_pack_manifest(scratch.path() / "x", scratch.path(), "release");
  shell("cd x && tar czf ../abi2.tar.gz pack-manifest.json pack-manifest.sig plugins\n",
        scratch.path());
  const ProcessResult result = verify(scratch.path() / "abi2.tar.gz", trusted);
  BOOST_CHECK_EQUAL(result.exit_code, 1);
  CHECK_CONTAINS(result.err,
                 "pack-manifest.json: abi check failed: the pack was built for ABI 2, this stella "
                 "supports ABI 1");
  BOOST_CHECK(!contains(result.err, "signature check failed"));
}

BOOST_AUTO_TEST_CASE(archives_with_traversal_or_links_are_refused_before_anything_is_trusted) {
  PackScratch scratch;
  const fs::path trusted = make_keys(scratch.path(), "release");
  shell(
      "mkdir -p evil/inner && echo '{}' > evil/escape.json\n"
      "cd evil/inner && tar -P -czf ../../traversal.tar.gz ../escape.json\n"
      "cd ../.. && ln -s /etc/passwd pack-manifest.json && tar czf link.tar.gz pack-manifest.json\n"
      "head -c 100 link.tar.gz > truncated.tar.gz\n",
      scratch.path());
  const ProcessResult traversal = verify(scratch.path() / "traversal.tar.gz", trusted);
  BOOST_CHECK_EQUAL(traversal.exit_code, 2);
  CHECK_CONTAINS(traversal.err, "entry '../escape.json' has a '..' component (path traversal)");
  const ProcessResult link = verify(scratch.path() / "link.tar.gz", trusted);
  BOOST_CHECK_EQUAL(link.exit_code, 2);
  CHECK_CONTAINS(link.err, "entry 'pack-manifest.json' is a link or special file");
  const ProcessResult truncated = verify(scratch.path() / "truncated.tar.gz", trusted);
  BOOST_CHECK_EQUAL(truncated.exit_code, 2);
  CHECK_CONTAINS(truncated.err, "truncated.tar.gz: ");
}

BOOST_AUTO_TEST_SUITE_END()
