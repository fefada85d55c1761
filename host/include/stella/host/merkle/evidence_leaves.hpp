// How evidence becomes Merkle leaves (docs/merkle.md). Identity is bound into every leaf so that a
// swap, a rename or a move to another tenant changes the root.
//
//   artifact leaf data = "artifact" 0x00 <canonical path> 0x00 <digest string "alg:hex">
//   bundle leaf data   = "bundle"   0x00 <bundle id>      0x00 <bundle root string>
//   tenant leaf data   = "tenant"   0x00 <tenant id>      0x00 <tenant root string>
//
// Orders: artifacts by canonical path (bytewise), bundles by (sealed_at, bundle id), tenants by
// tenant id (bytewise). A bundle with no artifacts has the empty-tree root H("").
#pragma once

#include <string_view>

#include "stella/host/merkle/tree_hasher.hpp"

namespace stella::host {

DigestBytes artifact_leaf_hash(const TreeHasher& hasher, std::string_view canonical_path,
                               std::string_view digest_string);
DigestBytes bundle_leaf_hash(const TreeHasher& hasher, std::string_view bundle_id,
                             std::string_view bundle_root_string);
DigestBytes tenant_leaf_hash(const TreeHasher& hasher, std::string_view tenant_id,
                             std::string_view tenant_root_string);

}  // namespace stella::host
