// Attestor records out of the attestor's tables into the NDJSON export format, and filtering an
// export down to some bundles (for reconcile --apply).
#include "diagnostics/attestor_source.hpp"

#include <fstream>

#include <rapidjson/document.h>

#include "stella/host/evidence/store_version.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/json_nesting.hpp"

namespace stella::host {
namespace {

/// Rows fetched per round trip: entries carry their artifacts' bytes, so batches stay small.
constexpr int kEntriesPerFetch = 200;

/// The timestamp layout of the export ("2026-01-31T12:00:00.123456Z").
#define ATTESTOR_UTC(column) \
  "to_char(" column " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"

constexpr const char* kHeaderSql =
    "SELECT json_build_object('record', 'header', 'format', 'stella-attestor-export', "
    "'version', 1, 'exportedAt', " ATTESTOR_UTC("now()") ", 'source', 'database ' || "
    "current_database() || ', schema attestor')::text";

constexpr const char* kKeysSql =
    "SELECT json_build_object('record', 'signing_key', 'keyId', key_id, 'algorithm', algorithm, "
    "'publicKeyPem', public_key_pem)::text FROM attestor.signing_keys ORDER BY key_id";

constexpr const char* kEntriesCursorSql =
    "DECLARE attestor_entries NO SCROLL CURSOR FOR "
    "SELECT json_build_object('record', 'entry', 'tenant', tenant_id, 'bundleId', bundle_id, "
    "'kind', kind, 'status', status, 'subject', subject, "
    "'createdAt', " ATTESTOR_UTC("created_at") ", 'sealedAt', " ATTESTOR_UTC(
        "sealed_at") ", 'bundleRoot', bundle_root, 'envelope', envelope, 'artifacts', artifacts, "
                     "'loggedAt', " ATTESTOR_UTC(
                         "logged_at") ")::text FROM attestor.entries ORDER BY tenant_id, bundle_id";

bool table_exists(PgConnection& connection, const char* table) {
  return !connection.exec("SELECT to_regclass($1) IS NULL", {std::string(table)})
              .get(0, 0)
              .starts_with("t");
}

}  // namespace

std::int64_t export_attestor_records(const std::string& conninfo,
                                     const std::filesystem::path& output) {
  auto connection = PgConnection::connect(conninfo);
  connection->exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  if (!table_exists(*connection, "attestor.entries")) {
    const std::string database = database_name(*connection);
    connection->rollback();
    throw sdk::Error(sdk::ErrorCode::refused,
                     "database " + database +
                         " has no attestor records: table attestor.entries "
                         "does not exist",
                     "point at the attestor's database with --source-database CONNINFO, give its "
                     "export with --source-file FILE, or create a sample with "
                     "tools/make-attestor-sample.sh (layout: docs/reconcile.md)");
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!out) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "cannot write the attestor export to " + output.string());
  }
  out << connection->exec(kHeaderSql).get(0, 0) << '\n';
  if (table_exists(*connection, "attestor.signing_keys")) {
    const PgResult keys = connection->exec(kKeysSql);
    for (int r = 0; r < keys.rows(); ++r) {
      out << keys.get(r, 0) << '\n';
    }
  }
  connection->exec(kEntriesCursorSql);
  std::int64_t entries = 0;
  for (;;) {
    const PgResult rows =
        connection->exec("FETCH " + std::to_string(kEntriesPerFetch) + " FROM attestor_entries");
    for (int r = 0; r < rows.rows(); ++r) {
      out << rows.get(r, 0) << '\n';
    }
    entries += rows.rows();
    if (rows.rows() < kEntriesPerFetch) {
      break;
    }
  }
  connection->commit();
  out.close();
  if (!out) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "could not finish writing the attestor export to " + output.string());
  }
  return entries;
}

void filter_attestor_records(const std::filesystem::path& input,
                             const std::filesystem::path& output,
                             const std::set<std::string>& bundle_ids) {
  std::ifstream in(input, std::ios::binary);
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  if (!in || !out) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "cannot filter " + input.string() + " into " + output.string());
  }
  std::string line;
  std::int64_t number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) {
      continue;
    }
    sdk::require_json_nesting_within_limit(line,
                                           input.string() + ": line " + std::to_string(number));
    rapidjson::Document record;
    record.Parse(line.data(), line.size());
    if (record.HasParseError() || !record.IsObject() || !record.HasMember("record") ||
        !record["record"].IsString()) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       input.string() + ": line " + std::to_string(number) +
                           " is not an attestor record (a JSON object with \"record\")",
                       "check the export against docs/reconcile.md");
    }
    const std::string kind = record["record"].GetString();
    if (kind == "entry") {
      if (!record.HasMember("bundleId") || !record["bundleId"].IsString() ||
          !bundle_ids.count(record["bundleId"].GetString())) {
        continue;
      }
    }
    out << line << '\n';
  }
  out.close();
  if (!out) {
    throw sdk::Error(sdk::ErrorCode::internal, "could not write " + output.string());
  }
}

}  // namespace stella::host
