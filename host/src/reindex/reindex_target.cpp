// Resolving the reindex target from --algorithm, the hash-algorithm setting and the generations.
#include "stella/host/reindex/reindex_target.hpp"

#include "stella/host/reindex/store_config.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {

ReindexTarget resolve_reindex_target(PgConnection& connection,
                                     const std::optional<std::string>& algorithm_option) {
  ReindexTarget target;
  if (algorithm_option) {
    target.algorithm = *algorithm_option;
    target.algorithm_source = "--algorithm";
  } else {
    const std::optional<ConfigEntry> configured = read_config(connection, kHashAlgorithmKey);
    if (!configured) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "no target hash algorithm: --algorithm was not given and the store has no "
                       "hash-algorithm setting",
                       "set the store's target first, e.g. `stella evidence config set "
                       "hash-algorithm sha512`, or pass --algorithm ID");
    }
    target.algorithm = configured->value;
    target.algorithm_source = "the store's hash-algorithm setting";
  }
  const StoreGenerations generations = read_generations(connection);
  target.active = generations.active();
  const GenerationRecord* building = generations.building();
  if (building != nullptr && building->algorithm != target.algorithm) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "generation " + std::to_string(building->generation) + " (" +
                         building->algorithm + ") is still being built; the target here is " +
                         target.algorithm + " (from " + target.algorithm_source + ")",
                     "finish it first: `stella evidence reindex --algorithm " +
                         building->algorithm + "`, then reindex to " + target.algorithm);
  }
  if (building != nullptr) {
    target.action = ReindexAction::continue_building;
    target.generation = building->generation;
  } else if (target.active.algorithm == target.algorithm) {
    target.action = ReindexAction::already_current;
    target.generation = target.active.generation;
  } else {
    target.action = ReindexAction::start_new;
    target.generation = generations.next_number();
  }
  return target;
}

std::string already_current_message(const ReindexTarget& target) {
  return "store already at " + target.algorithm + " (generation " +
         std::to_string(target.generation) + "); nothing to do";
}

}  // namespace stella::host
