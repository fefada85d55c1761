// A migration plan: the ordered schema steps that move a store from one version to another, what
// each will do, and the store state the plan was made against (DESIGN.md "Plans, transactions,
// rollback"). `migrate --dry-run` prints one; `--output` writes it as a file (plan_file.hpp) that
// `migrate --plan` executes exactly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "stella/sdk/schema_step.hpp"

namespace stella::host {

/// A tenant's root in a recorded store state.
struct TenantRootState {
  std::string tenant;
  std::string root;
};

/// What a store looked like at one moment: its version and its roots. The roots are recomputed
/// from the stored bundle roots (tenant roots, then the global root, docs/merkle.md); the stored
/// global root is kept beside them so that a store whose stored roots disagree with its data is
/// noticed.
struct StoreState {
  std::string database;
  std::string schema_version;
  /// The active digest generation and its algorithm.
  int generation = 0;
  std::string algorithm;
  std::string global_root;
  std::string stored_global_root;
  std::int64_t tenant_count = 0;
  std::int64_t bundle_count = 0;
  std::int64_t artifact_count = 0;
  /// In Merkle order (tenant id, bytewise).
  std::vector<TenantRootState> tenants;
  /// ISO 8601 UTC.
  std::string captured_at;
  /// Where the stored roots disagree with the roots recomputed from the stored bundle roots, one
  /// line each; empty for a consistent store. Found at capture time, never written to a file.
  std::vector<std::string> inconsistencies;
};

/// One step of a plan: a schema-step plugin, as found on disk, and what its plan() said.
struct PlannedStep {
  /// 1-based position in the plan.
  int ordinal = 0;
  std::string plugin_id;
  std::string plugin_version;
  /// SHA-256 of the plugin library ("sha256:<hex>"): a plan runs only with the exact same code.
  std::string library_digest;
  std::string library_file;
  std::string from_version;
  std::string to_version;
  std::vector<std::string> capabilities;
  std::vector<sdk::PlannedAction> actions;

  /// Sum of the actions' known estimates (unknown ones count as 0).
  double estimated_seconds() const;
};

/// Room on the database server when the plan was made.
struct StoreSpace {
  /// The evidence schema's tables with their indexes and TOAST.
  std::int64_t evidence_bytes = 0;
  /// Free space on the volume of the server's data directory; known for the embedded server only.
  std::optional<std::int64_t> free_bytes;
};

struct MigrationPlan {
  /// ISO 8601 UTC.
  std::string created_at;
  /// The operator who made the plan.
  std::string created_by;
  /// The stella version that made it.
  std::string stella_version;
  std::string from_version;
  std::string to_version;
  /// Rows per batch for batched actions.
  std::int64_t batch_size = 0;
  StoreState store;
  /// nullopt in plan files written before plans recorded it.
  std::optional<StoreSpace> space;
  std::vector<PlannedStep> steps;

  double estimated_seconds() const;
};

}  // namespace stella::host
