// Computes every digest and root of a small fixed evidence store with the host's Merkle engine and
// prints them as JSON: the worked example in docs/merkle.md, and the input verify_roots.py checks
// the documented Python recipe against.
//
// Usage: merkle_example [ALGORITHM]   (default sha256)
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/sdk/error.hpp"

namespace {

using stella::host::ByteView;
using stella::host::TreeHasher;

struct Artifact {
  std::string path;
  std::string content;
};
struct Bundle {
  std::string id;
  std::string sealed_at;  // UTC, fixed width, so that text order is time order
  std::vector<Artifact> artifacts;
};
struct Tenant {
  std::string id;
  std::vector<Bundle> bundles;
};

// Deliberately listed out of order: the program sorts as docs/merkle.md says, and so must the
// verifier. "VEX.json" sorts before "sbom.json" bytewise (upper case first), and "z.json" before
// "é.json" (0x7a < 0xc3), whatever a locale would say.
std::vector<Tenant> example_store() {
  return {
      {"globex",
       {{"b-0003",
         "2024-03-01T09:00:00.000000Z",
         {{"policy/verdict.json", "{\"verdict\":\"pass\"}"}}}}},
      {"acme",
       {{"b-0002", "2024-02-10T12:30:00.000000Z", {{"scan/result.json", "{\"findings\":[]}"}}},
        {"b-0001",
         "2024-02-10T12:30:00.000000Z",
         {{"sbom.json", "{\"bomFormat\":\"CycloneDX\",\"specVersion\":\"1.5\"}"},
          {"VEX.json", "{\"@context\":\"https://openvex.dev/ns/v0.2.0\"}"},
          {"notes/\xc3\xa9.json", "{}"},
          {"notes/z.json", "[]"}}},
        {"b-0000", "2024-01-05T08:00:00.000000Z", {}}}},
  };
}

ByteView bytes_of(const std::string& text) {
  return ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

using Writer = rapidjson::PrettyWriter<rapidjson::StringBuffer>;

void write_field(Writer& out, const char* name, const std::string& value) {
  out.Key(name);
  out.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

std::string write_bundle(Writer& out, const TreeHasher& hasher, Bundle bundle) {
  std::sort(bundle.artifacts.begin(), bundle.artifacts.end(),
            [](const Artifact& a, const Artifact& b) { return a.path < b.path; });
  stella::host::MerkleRootBuilder builder(hasher);
  out.StartObject();
  write_field(out, "bundle", bundle.id);
  write_field(out, "sealedAt", bundle.sealed_at);
  out.Key("artifacts");
  out.StartArray();
  for (const auto& artifact : bundle.artifacts) {
    const std::string digest = stella::host::format_digest(
        hasher.algorithm_id(), hasher.digest(bytes_of(artifact.content)));
    const auto leaf = stella::host::artifact_leaf_hash(hasher, artifact.path, digest);
    builder.add_leaf_hash(leaf);
    out.StartObject();
    write_field(out, "path", artifact.path);
    write_field(out, "content", artifact.content);
    write_field(out, "digest", digest);
    write_field(out, "leafHash", stella::host::to_hex(leaf));
    out.EndObject();
  }
  out.EndArray();
  const std::string root = stella::host::format_digest(hasher.algorithm_id(), builder.root());
  write_field(out, "root", root);
  write_field(out, "bundleLeafHash",
              stella::host::to_hex(stella::host::bundle_leaf_hash(hasher, bundle.id, root)));
  out.EndObject();
  return root;
}

std::string write_tenant(Writer& out, const TreeHasher& hasher, Tenant tenant) {
  // std::string's operator< compares char_traits<char>, which is bytewise (unsigned) order.
  std::sort(tenant.bundles.begin(), tenant.bundles.end(), [](const Bundle& a, const Bundle& b) {
    return std::tie(a.sealed_at, a.id) < std::tie(b.sealed_at, b.id);
  });
  stella::host::MerkleRootBuilder builder(hasher);
  out.StartObject();
  write_field(out, "tenant", tenant.id);
  out.Key("bundles");
  out.StartArray();
  for (const auto& bundle : tenant.bundles) {
    const std::string bundle_root = write_bundle(out, hasher, bundle);
    builder.add_leaf_hash(stella::host::bundle_leaf_hash(hasher, bundle.id, bundle_root));
  }
  out.EndArray();
  const std::string root = stella::host::format_digest(hasher.algorithm_id(), builder.root());
  write_field(out, "root", root);
  write_field(out, "tenantLeafHash",
              stella::host::to_hex(stella::host::tenant_leaf_hash(hasher, tenant.id, root)));
  out.EndObject();
  return root;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const std::string algorithm = argc > 1 ? argv[1] : "sha256";
    const auto hasher = stella::host::make_evp_hasher(algorithm);
    auto tenants = example_store();
    std::sort(tenants.begin(), tenants.end(),
              [](const Tenant& a, const Tenant& b) { return a.id < b.id; });

    rapidjson::StringBuffer buffer;
    Writer out(buffer);
    out.StartObject();
    write_field(out, "algorithm", algorithm);
    write_field(out, "emptyRoot", stella::host::format_digest(algorithm, hasher->empty_root()));
    out.Key("tenants");
    out.StartArray();
    stella::host::MerkleRootBuilder builder(*hasher);
    for (const auto& tenant : tenants) {
      const std::string tenant_root = write_tenant(out, *hasher, tenant);
      builder.add_leaf_hash(stella::host::tenant_leaf_hash(*hasher, tenant.id, tenant_root));
    }
    out.EndArray();
    write_field(out, "globalRoot", stella::host::format_digest(algorithm, builder.root()));
    out.EndObject();
    std::cout << buffer.GetString() << "\n";
    return 0;
  } catch (const stella::sdk::Error& error) {
    std::cerr << "merkle_example: error: " << error.what() << "\n";
    return 2;
  }
}
