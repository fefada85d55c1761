// The evidence leaf recipe, byte for byte, and what it protects: a swap of two paths or a move of
// a bundle to another tenant changes the roots.
#include <boost/test/unit_test.hpp>

#include "merkle/merkle_test_support.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/sdk/error.hpp"

namespace stella::test {
namespace {

using host::DigestBytes;

struct Artifact {
  std::string path;
  std::string content;
};
struct Bundle {
  std::string id;
  std::vector<Artifact> artifacts;
};
struct Tenant {
  std::string id;
  std::vector<Bundle> bundles;
};

std::string bundle_root(const host::TreeHasher& hasher, const Bundle& bundle) {
  host::MerkleRootBuilder builder(hasher);
  for (const auto& artifact : bundle.artifacts) {
    const auto digest =
        host::format_digest(hasher.algorithm_id(), hasher.digest(bytes_of(artifact.content)));
    builder.add_leaf_hash(host::artifact_leaf_hash(hasher, artifact.path, digest));
  }
  return host::format_digest(hasher.algorithm_id(), builder.root());
}

std::string tenant_root(const host::TreeHasher& hasher, const Tenant& tenant) {
  host::MerkleRootBuilder builder(hasher);
  for (const auto& bundle : tenant.bundles) {
    builder.add_leaf_hash(host::bundle_leaf_hash(hasher, bundle.id, bundle_root(hasher, bundle)));
  }
  return host::format_digest(hasher.algorithm_id(), builder.root());
}

std::string global_root(const host::TreeHasher& hasher, const std::vector<Tenant>& tenants) {
  host::MerkleRootBuilder builder(hasher);
  for (const auto& tenant : tenants) {
    builder.add_leaf_hash(host::tenant_leaf_hash(hasher, tenant.id, tenant_root(hasher, tenant)));
  }
  return host::format_digest(hasher.algorithm_id(), builder.root());
}

std::vector<Tenant> sample_store() {
  return {
      {"acme",
       {{"b-001", {{"sbom/cyclonedx.json", "{\"bomFormat\":\"CycloneDX\"}"}, {"vex.json", "{}"}}},
        {"b-002", {{"scan/result.json", "[]"}}}}},
      {"globex", {{"b-100", {{"policy/verdict.json", "{\"pass\":true}"}}}}},
  };
}

BOOST_AUTO_TEST_SUITE(evidence_leaves)

BOOST_AUTO_TEST_CASE(leaf_data_is_label_nul_identity_nul_digest) {
  const auto hasher = host::make_evp_hasher("sha256");
  using namespace std::string_literals;
  const std::string digest = "sha256:" + std::string(64, 'a');
  // H(0x00 || label 0x00 identity 0x00 digest-string), spelled out byte by byte.
  BOOST_TEST(host::to_hex(host::artifact_leaf_hash(*hasher, "a/b.json", digest)) ==
             host::to_hex(hasher->digest(bytes_of("\0artifact\0a/b.json\0"s + digest))));
  BOOST_TEST(host::to_hex(host::bundle_leaf_hash(*hasher, "b-1", digest)) ==
             host::to_hex(hasher->digest(bytes_of("\0bundle\0b-1\0"s + digest))));
  BOOST_TEST(host::to_hex(host::tenant_leaf_hash(*hasher, "acme", digest)) ==
             host::to_hex(hasher->digest(bytes_of("\0tenant\0acme\0"s + digest))));
}

BOOST_AUTO_TEST_CASE(levels_are_kept_apart_by_their_labels) {
  const auto hasher = host::make_evp_hasher("sha256");
  const std::string digest = "sha256:" + std::string(64, 'b');
  const auto artifact = host::artifact_leaf_hash(*hasher, "x", digest);
  const auto bundle = host::bundle_leaf_hash(*hasher, "x", digest);
  const auto tenant = host::tenant_leaf_hash(*hasher, "x", digest);
  BOOST_TEST(host::to_hex(artifact) != host::to_hex(bundle));
  BOOST_TEST(host::to_hex(bundle) != host::to_hex(tenant));
  BOOST_TEST(host::to_hex(artifact) != host::to_hex(tenant));
}

BOOST_AUTO_TEST_CASE(swapping_two_artifact_paths_changes_the_bundle_root) {
  const auto hasher = host::make_evp_hasher("sha256");
  Bundle bundle = sample_store()[0].bundles[0];
  const auto before = bundle_root(*hasher, bundle);
  std::swap(bundle.artifacts[0].path, bundle.artifacts[1].path);
  BOOST_TEST(bundle_root(*hasher, bundle) != before);
}

BOOST_AUTO_TEST_CASE(renaming_an_artifact_changes_the_bundle_root) {
  const auto hasher = host::make_evp_hasher("sha256");
  Bundle bundle = sample_store()[0].bundles[0];
  const auto before = bundle_root(*hasher, bundle);
  bundle.artifacts[1].path = "vex2.json";
  BOOST_TEST(bundle_root(*hasher, bundle) != before);
}

BOOST_AUTO_TEST_CASE(moving_a_bundle_to_another_tenant_changes_the_global_root) {
  const auto hasher = host::make_evp_hasher("sha256");
  auto store = sample_store();
  const auto before = global_root(*hasher, store);
  // Same bundles, same bytes, same order of tenants: only the owner of b-002 changes.
  store[1].bundles.insert(store[1].bundles.begin(), store[0].bundles[1]);
  store[0].bundles.pop_back();
  const auto after = global_root(*hasher, store);
  BOOST_TEST(after != before);
  BOOST_TEST(tenant_root(*hasher, store[0]) != tenant_root(*hasher, sample_store()[0]));
}

BOOST_AUTO_TEST_CASE(identity_fields_cannot_be_shifted_into_each_other) {
  const auto hasher = host::make_evp_hasher("sha256");
  const std::string digest = "sha256:" + std::string(64, 'c');
  // Without the separators "a" + "b/c" and "a/b" + "c" could read alike; with them they cannot.
  BOOST_TEST(host::to_hex(host::artifact_leaf_hash(*hasher, "ab", digest)) !=
             host::to_hex(host::artifact_leaf_hash(*hasher, "a", "b" + digest)));
}

BOOST_AUTO_TEST_CASE(a_digest_string_with_a_nul_byte_is_refused) {
  const auto hasher = host::make_evp_hasher("sha256");
  using namespace std::string_literals;
  try {
    host::artifact_leaf_hash(*hasher, "a.json", "sha256:00\0ff"s);
    BOOST_FAIL("a digest string with NUL was accepted");
  } catch (const sdk::Error& error) {
    BOOST_TEST((error.code() == sdk::ErrorCode::invalid_input));
    BOOST_TEST(std::string(error.what()) ==
               "artifact 'a.json' has digest 'sha256:00\\x00ff' containing a NUL byte; expected "
               "'alg:lower-hex'");
  }
}

BOOST_AUTO_TEST_CASE(an_empty_bundle_has_the_empty_tree_root) {
  const auto hasher = host::make_evp_hasher("sha256");
  BOOST_TEST(bundle_root(*hasher, Bundle{"b-empty", {}}) ==
             "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace stella::test
