// Where an interrupted `down` of the contract step resumes (up is a single transaction and never
// checkpoints). The host stores the string opaquely with each batch and hands it back on resume.
//
//   "schema"                        the 1.0 tables and columns exist again, still empty
//   "artifacts <bundle id> <path>"  1.0 artifacts are restored up to and including that key
//   "bundles <bundle id>"           every artifact is restored; bundles up to and including that id
//
// A bundle id never contains a space; the path is everything after the second space.
#pragma once

#include <string>
#include <string_view>

namespace stella_schema_contract {

/// The phases of `down` in the order they run. Zero is not a valid value.
enum class RestorePhase {
  schema_restored = 1,
  artifacts = 2,
  bundles = 3,
};

struct RestoreCheckpoint {
  RestorePhase phase = RestorePhase::schema_restored;
  std::string bundle_id;
  std::string path;
};

std::string format_checkpoint(const RestoreCheckpoint& checkpoint);

/// Parses a checkpoint this step wrote. Throws stella::sdk::Error(invalid_input) naming the text
/// when it is not one.
RestoreCheckpoint parse_checkpoint(std::string_view text);

}  // namespace stella_schema_contract
