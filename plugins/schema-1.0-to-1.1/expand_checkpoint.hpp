// Where an interrupted expand step resumes. The host stores the string opaquely with each batch
// (StepContext::commit_batch) and hands it back on resume (StepContext::resume_checkpoint).
//
//   "schema"                        the tables exist; no data copied yet
//   "artifacts <bundle id> <path>"  artifacts are copied up to and including that key
//   "bundles <bundle id>"           every artifact is copied; bundles up to and including that id
//
// A bundle id never contains a space (schema 1.0 allows [A-Za-z0-9._:-]); the path is everything
// after the second space, so paths with spaces survive.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stella_schema_expand {

/// The phases of the step in the order they run. Zero is not a valid value.
enum class ExpandPhase {
  schema_created = 1,
  artifacts = 2,
  bundles = 3,
};

struct ExpandCheckpoint {
  ExpandPhase phase = ExpandPhase::schema_created;
  /// The last key done in the phase (artifacts: bundle id and path; bundles: bundle id).
  std::string bundle_id;
  std::string path;
};

std::string format_checkpoint(const ExpandCheckpoint& checkpoint);

/// Parses a checkpoint this step wrote. Throws stella::sdk::Error(invalid_input) naming the text
/// when it is not one (a checkpoint of another step or version of the plugin).
ExpandCheckpoint parse_checkpoint(std::string_view text);

}  // namespace stella_schema_expand
