// The evidence bundle format written by `stella evidence export` (docs/bundle-format.md): file
// names, the order files are written in, and the limits imports apply to untrusted bundles.
//
//   manifest.json                                        always first
//   keys/signing-keys.json                               with attestations
//   proofs/tenants/<tenant>.json                         --include-proofs, or a partial export
//   schemas/json/<name>, schemas/sql/<version>/<file>    --include-schemas
//   tenants/<tenant>/bundles/<bundle>/bundle.json        each bundle, in Merkle order
//   tenants/<tenant>/bundles/<bundle>/artifacts/<path>   its artifacts, in path order
//   tenants/<tenant>/bundles/<bundle>/attestation.dsse.json
//   proofs/bundles/<tenant>/<bundle>.json                --include-proofs, after the tenant's
//   bundles checksums.sha256                                     always last; lists every other
//   file
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "stella/sdk/storage_importer.hpp"

namespace stella::host::bundle_format {

inline constexpr const char* kFormatName = "stella-evidence-bundle";
inline constexpr int kFormatVersion = 1;

inline constexpr const char* kManifestFile = "manifest.json";
inline constexpr const char* kChecksumsFile = "checksums.sha256";
inline constexpr const char* kSigningKeysFile = "keys/signing-keys.json";

/// Source formats of the importer plugins that read what export writes.
inline constexpr const char* kDirectoryFormat = "bundle-dir";
inline constexpr const char* kPortableFormat = "portable-tar-gz";
inline constexpr const char* kObjectStoreFormat = "object-store";

std::string bundle_directory(std::string_view tenant, std::string_view bundle_id);
std::string bundle_record_file(std::string_view tenant, std::string_view bundle_id);
std::string artifact_file(std::string_view tenant, std::string_view bundle_id,
                          std::string_view canonical_path);
std::string attestation_file(std::string_view tenant, std::string_view bundle_id);
std::string bundle_proof_file(std::string_view tenant, std::string_view bundle_id);
std::string tenant_proof_file(std::string_view tenant);
/// "schemas/json/<name>" for a JSON Schema, "schemas/<resource>" for SQL ("sql/1.0/x.sql").
std::string schema_copy_file(std::string_view resource);

/// The limits import and verify-bundle apply to a source unless the operator raises them.
/// Generous for real evidence (a million artifacts of a few KiB is a few GiB), far below what
/// would exhaust a machine.
sdk::ImportLimits default_import_limits();

}  // namespace stella::host::bundle_format
