// Leaf data of the three tree levels: "<label>" 0x00 <identity> 0x00 <digest or root string>.
//
// The label keeps the levels apart; the identity binds the path or id into the leaf so a swap, a
// rename or a move changes the root. The last field is a digest string, which never contains 0x00,
// so the encoding reads back unambiguously even if an identity did.
#include <string>

#include "merkle/quoted_excerpt.hpp"
#include "stella/host/merkle/evidence_leaves.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

namespace {

constexpr char kFieldSeparator = '\0';
constexpr std::string_view kArtifactLabel = "artifact";
constexpr std::string_view kBundleLabel = "bundle";
constexpr std::string_view kTenantLabel = "tenant";

DigestBytes labelled_leaf_hash(const TreeHasher& hasher, std::string_view label,
                               std::string_view identity, std::string_view digest_string) {
  if (digest_string.find(kFieldSeparator) != std::string_view::npos) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string(label) + " " + quoted_excerpt(identity) + " has digest " +
                         quoted_excerpt(digest_string) +
                         " containing a NUL byte; expected 'alg:lower-hex'",
                     "the stored digest is corrupt: run `stella evidence verify-all`");
  }
  // Reused per thread: building a million leaves should not mean a million allocations.
  thread_local std::string data;
  data.clear();
  data.append(label);
  data.push_back(kFieldSeparator);
  data.append(identity);
  data.push_back(kFieldSeparator);
  data.append(digest_string);
  return hasher.hash_leaf(
      ByteView(reinterpret_cast<const std::uint8_t*>(data.data()), data.size()));
}

}  // namespace

DigestBytes artifact_leaf_hash(const TreeHasher& hasher, std::string_view canonical_path,
                               std::string_view digest_string) {
  return labelled_leaf_hash(hasher, kArtifactLabel, canonical_path, digest_string);
}

DigestBytes bundle_leaf_hash(const TreeHasher& hasher, std::string_view bundle_id,
                             std::string_view bundle_root_string) {
  return labelled_leaf_hash(hasher, kBundleLabel, bundle_id, bundle_root_string);
}

DigestBytes tenant_leaf_hash(const TreeHasher& hasher, std::string_view tenant_id,
                             std::string_view tenant_root_string) {
  return labelled_leaf_hash(hasher, kTenantLabel, tenant_id, tenant_root_string);
}

}  // namespace stella::host
