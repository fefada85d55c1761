// Plugin kind: one edge of the store's schema version graph (for example 1.0 -> 1.1).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stella/sdk/abi.hpp"
#include "stella/sdk/context.hpp"
#include "stella/sdk/plugin.hpp"

STELLA_SDK_NAMESPACE_BEGIN

/// One thing a step will do, as shown in a dry-run plan.
struct PlannedAction {
  /// What the action does, for a person ("copy inline attestations to evidence.attestations").
  std::string description;
  /// The SQL statements it will run, when it is SQL; may be empty for actions done in code.
  std::vector<std::string> statements;
  /// Rows the action will read or write, counted on the live store; -1 when unknown.
  std::int64_t rows_affected = -1;
  /// Locks the action takes ("ACCESS EXCLUSIVE on evidence.artifacts").
  std::vector<std::string> locks;
  /// True when the action runs in batches, each its own transaction.
  bool batched = false;
  /// Estimated duration in seconds; -1 when unknown.
  double estimated_seconds = -1;
};

/// What a step will do on the store it was asked about.
struct StepPlan {
  std::vector<PlannedAction> actions;
};

/// The outcome of SchemaStep::verify.
struct VerifyOutcome {
  bool ok = false;
  /// One line per problem found: what was expected and what was found.
  std::vector<std::string> problems;
};

/// A schema step moves the store from from_version() to to_version() (up) and back (down).
///
/// Ownership: created by the plugin's factory, owned by the host, destroyed before the process
/// exits (the library is never unloaded). Thread-safety: one step object is used by one thread.
/// Failure: every method throws stella::sdk::Error; the host aborts the open transaction and rolls
/// back the run. plan() and verify() must not change the store.
class SchemaStep : public Plugin {
 public:
  /// The version this step starts from, for example "1.0". Must equal the manifest's edge.
  virtual std::string from_version() const = 0;
  /// The version this step leads to, for example "1.1". Must equal the manifest's edge.
  virtual std::string to_version() const = 0;

  /// Describes what up() would do on the store behind ctx, without changing it.
  virtual StepPlan plan(StepContext& ctx) = 0;
  /// Moves the store from from_version() to to_version(). May call ctx.commit_batch between
  /// batches; on resume it starts after ctx.resume_checkpoint().
  virtual void up(StepContext& ctx) = 0;
  /// Moves the store from to_version() back to from_version(), restoring every row. Must also
  /// undo a partly completed up() (batches committed before a failure).
  virtual void down(StepContext& ctx) = 0;
  /// Checks that the store is a correct to_version() store after up().
  virtual VerifyOutcome verify(StepContext& ctx) = 0;
};

STELLA_SDK_NAMESPACE_END
