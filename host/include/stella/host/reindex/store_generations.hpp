// The digest generations of a schema 2.0 store (evidence.digest_generations, docs/reindex.md), as
// reindex and verify-continuity need them: with their state, not only whether they are active.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The only schema version whose layout has digest generations.
inline constexpr const char* kGenerationsSchemaVersion = "2.0";

/// evidence.digest_generations.state. Zero is not a valid value.
enum class GenerationState {
  /// Digests are being written; roots are not sealed yet.
  building = 1,
  /// Every record is covered and the roots are final.
  sealed = 2,
  /// Kept for proofs, no longer active.
  retired = 3,
};

/// "building", "sealed", "retired".
const char* generation_state_name(GenerationState state);

/// One row of evidence.digest_generations.
struct GenerationRecord {
  int generation = 0;
  std::string algorithm;
  GenerationState state = GenerationState::building;
  bool active = false;
  /// ISO 8601 UTC.
  std::string created_at;
  /// ISO 8601 UTC; nullopt while building.
  std::optional<std::string> sealed_at;
};

/// The store's generations, oldest first.
struct StoreGenerations {
  std::vector<GenerationRecord> all;

  /// The active generation. Throws sdk::Error(refused) when none is active (a damaged store).
  const GenerationRecord& active() const;
  /// The generation being built, if any (the schema allows one at a time by convention; the
  /// newest is returned if there were several).
  const GenerationRecord* building() const;
  /// The generation with this number, or nullptr.
  const GenerationRecord* find(int generation) const;
  /// The next free generation number.
  int next_number() const;
};

/// Throws sdk::Error(refused) unless the database holds an evidence store at schema 2.0 with no
/// migration run unfinished (migration_read_guard.hpp): with no store, "run `stella evidence
/// init`"; at 1.0, "`verb` needs schema 2.0; run `stella evidence migrate --from-version 1.0
/// --to-version 2.0`". `verb` names the command in the message.
void require_generations_schema(PgConnection& connection, const std::string& verb);

/// Reads evidence.digest_generations (inside the caller's transaction, if any).
StoreGenerations read_generations(PgConnection& connection);

}  // namespace stella::host
