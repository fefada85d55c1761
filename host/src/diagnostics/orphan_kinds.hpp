// The kinds of orphan each schema version can hold, with the SQL that finds and moves them. The
// one place that knows, per version, which rows reference which.
#pragma once

#include <string>
#include <vector>

namespace stella::host {

/// Rows of another table that go to quarantine with an orphan (they reference it through a
/// foreign key that would otherwise refuse the move).
struct DependentRows {
  std::string table;
  /// Condition on alias `d` selecting the dependents of the orphans being moved.
  std::string condition;
};

struct OrphanKind {
  std::string kind;
  std::string table;
  std::string description;
  /// SELECT returning (tenant text, bundle text, key text, held boolean) for every orphan, in a
  /// stable order.
  std::string list_sql;
  /// Condition on alias `t` of `table` selecting the orphans quarantine moves (held rows
  /// excluded); empty when the kind is never moved.
  std::string move_condition;
  /// Moved first, before the orphans themselves.
  std::vector<DependentRows> dependents;
  /// Why the kind is never moved (when move_condition is empty).
  std::string kept_reason;
};

/// The kinds of `schema_version` ("1.0", "2.0"), in report and move order; empty when unknown.
std::vector<OrphanKind> orphan_kinds(const std::string& schema_version);

}  // namespace stella::host
