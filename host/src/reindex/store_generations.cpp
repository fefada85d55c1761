// Reading evidence.digest_generations and refusing stores that have none.
#include "stella/host/reindex/store_generations.hpp"

#include <algorithm>

#include "reindex/iso_utc_sql.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/migration_read_guard.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

GenerationState parse_state(std::string_view text, int generation) {
  if (text == "building") {
    return GenerationState::building;
  }
  if (text == "sealed") {
    return GenerationState::sealed;
  }
  if (text == "retired") {
    return GenerationState::retired;
  }
  throw sdk::Error(sdk::ErrorCode::internal,
                   "evidence.digest_generations row " + std::to_string(generation) +
                       " has state '" + std::string(text) +
                       "'; expected building, sealed or retired",
                   "the store was changed outside stella; run `stella evidence integrity-check`");
}

}  // namespace

const char* generation_state_name(GenerationState state) {
  switch (state) {
    case GenerationState::building:
      return "building";
    case GenerationState::sealed:
      return "sealed";
    case GenerationState::retired:
      return "retired";
  }
  return "unknown";
}

const GenerationRecord& StoreGenerations::active() const {
  const auto it = std::find_if(all.begin(), all.end(),
                               [](const GenerationRecord& record) { return record.active; });
  if (it == all.end()) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the store has no active digest generation (evidence.digest_generations has " +
                         std::to_string(all.size()) + " rows, none active); expected exactly one",
                     "the store is damaged; run `stella evidence integrity-check --deep` and "
                     "restore it from a backup");
  }
  return *it;
}

const GenerationRecord* StoreGenerations::building() const {
  const GenerationRecord* found = nullptr;
  for (const GenerationRecord& record : all) {
    if (record.state == GenerationState::building) {
      found = &record;
    }
  }
  return found;
}

const GenerationRecord* StoreGenerations::find(int generation) const {
  for (const GenerationRecord& record : all) {
    if (record.generation == generation) {
      return &record;
    }
  }
  return nullptr;
}

int StoreGenerations::next_number() const {
  int highest = 0;
  for (const GenerationRecord& record : all) {
    highest = std::max(highest, record.generation);
  }
  return highest + 1;
}

void require_generations_schema(PgConnection& connection, const std::string& verb) {
  // Part-way through a migration the store may report 1.0, 1.1 or 2.0 without being either: the
  // unfinished run, not the version, is what the operator must hear about.
  refuse_store_use_during_migration(connection);
  const std::optional<std::string> version = detect_store_version(connection);
  const std::string database = database_name(connection);
  if (!version) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "no evidence store in database " + database + "; `" + verb +
                         "` needs a store at schema " + kGenerationsSchemaVersion,
                     "create one with `stella evidence init --schema-version 2.0`, or name the "
                     "right database with --database");
  }
  if (*version != kGenerationsSchemaVersion) {
    throw sdk::Error(
        sdk::ErrorCode::refused,
        std::string(verb) + " needs schema " + kGenerationsSchemaVersion +
            "; the store in database " + database + " is at schema " + *version,
        "run `stella evidence migrate --from-version " + *version + " --to-version 2.0`");
  }
}

StoreGenerations read_generations(PgConnection& connection) {
  const PgResult rows = connection.exec(
      "SELECT generation, algorithm, state, active, " + iso_utc_sql("created_at") + ", " +
      iso_utc_sql("sealed_at") + " FROM evidence.digest_generations ORDER BY generation");
  StoreGenerations generations;
  for (int r = 0; r < rows.rows(); ++r) {
    GenerationRecord record;
    record.generation = static_cast<int>(rows.get_int64(r, 0));
    record.algorithm = rows.get(r, 1);
    record.state = parse_state(rows.get(r, 2), record.generation);
    record.active = rows.get(r, 3) == "t";
    record.created_at = rows.get(r, 4);
    record.sealed_at = rows.get_optional(r, 5);
    generations.all.push_back(std::move(record));
  }
  return generations;
}

}  // namespace stella::host
