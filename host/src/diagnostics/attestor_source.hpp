// The attestor's records as the NDJSON export the attestor importer plugin reads
// (docs/reconcile.md): written from the attestor's tables, or filtered down to some bundles.
#pragma once

#include <filesystem>
#include <set>
#include <string>

namespace stella::host {

/// Writes every row of attestor.entries (and attestor.signing_keys, when that table exists) in
/// the database at `conninfo` to `output` as attestor NDJSON, streaming through a cursor.
/// Returns the entries written. Throws sdk::Error(refused) when the database has no table
/// attestor.entries, naming the database and the layout docs/reconcile.md describes.
std::int64_t export_attestor_records(const std::string& conninfo,
                                     const std::filesystem::path& output);

/// Copies `input` (attestor NDJSON) to `output` keeping the header and signing keys and only the
/// entries of `bundle_ids`. Throws sdk::Error(invalid_input) for a line that is not a JSON object.
void filter_attestor_records(const std::filesystem::path& input,
                             const std::filesystem::path& output,
                             const std::set<std::string>& bundle_ids);

}  // namespace stella::host
