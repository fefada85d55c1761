// Where a reindex is going: the target algorithm (from --algorithm or the store's hash-algorithm
// setting) and what the store's generations say about it.
#pragma once

#include <optional>
#include <string>

#include "stella/host/reindex/store_generations.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// What a reindex to the target would do. Zero is not a valid value.
enum class ReindexAction {
  /// The active generation already uses the target algorithm: nothing to do.
  already_current = 1,
  /// A generation of the target algorithm is being built: continue it.
  continue_building = 2,
  /// Start a new generation.
  start_new = 3,
};

struct ReindexTarget {
  std::string algorithm;
  /// "--algorithm" or "the store's hash-algorithm setting", for messages.
  std::string algorithm_source;
  GenerationRecord active;
  ReindexAction action = ReindexAction::start_new;
  /// The generation that will hold the new digests (the active one for already_current).
  int generation = 0;
};

/// Decides the target. Throws sdk::Error(refused) when no algorithm is given and none is
/// configured (hint: `stella evidence config set hash-algorithm ID`), and when a generation of
/// another algorithm is being built (hint: finish it with --algorithm of that one).
/// Needs schema 2.0 and the state schema.
ReindexTarget resolve_reindex_target(PgConnection& connection,
                                     const std::optional<std::string>& algorithm_option);

/// "store already at sha512 (generation 2); nothing to do".
std::string already_current_message(const ReindexTarget& target);

}  // namespace stella::host
