#include "migration/orphan_preflight.hpp"

#include <algorithm>

#include "stella/host/diagnostics/orphans.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Orphan rows quoted in the refusal; `orphans --list` names them all.
constexpr std::size_t kQuotedOrphans = 3;

std::string quoted_record(const OrphanRecord& record) {
  std::string text = record.table;
  for (const std::string* part : {&record.tenant, &record.bundle, &record.key}) {
    if (!part->empty()) {
      text += " " + *part;
    }
  }
  return text;
}

}  // namespace

void refuse_orphans_before_migration(PgConnection& connection) {
  const OrphanReport report = find_orphans(connection);
  std::string kinds;
  std::int64_t blocking = 0;
  std::int64_t held = 0;
  for (const OrphanKindCount& kind : report.kinds) {
    // The kinds quarantine never moves are not in the way: legal hold records stay in their own
    // table, and sealed bundles missing from the roots already fail the roots consistency check.
    if (!kind.quarantinable || kind.count == 0) {
      continue;
    }
    blocking += kind.count;
    held += kind.held;
    kinds += (kinds.empty() ? "" : ", ") + std::to_string(kind.count) + " " + kind.kind + " (" +
             kind.description + ")";
  }
  if (blocking == 0) {
    return;
  }
  std::string examples;
  std::size_t quoted = 0;
  for (const OrphanRecord& record : report.records) {
    const bool counted = std::any_of(report.kinds.begin(), report.kinds.end(), [&](const auto& k) {
      return k.kind == record.kind && k.quarantinable;
    });
    if (!counted || quoted == kQuotedOrphans) {
      continue;
    }
    examples += (examples.empty() ? "" : "; ") + ("[" + record.kind + "] " + quoted_record(record));
    ++quoted;
  }
  throw sdk::Error(
      sdk::ErrorCode::refused,
      "the store holds " + std::to_string(blocking) +
          " orphan rows that a migration cannot carry: " + kinds +
          (examples.empty() ? std::string() : "; e.g. " + examples) +
          ". The expand step would leave them out and the contract step would then refuse to "
          "drop the 1.0 tables, after all the copying; nothing was changed",
      "list them with `stella evidence orphans --list`, move them out of the store with "
      "`stella evidence orphans --quarantine` (kept in evidence_quarantine.records, never "
      "deleted" +
          std::string(held > 0 ? "; " + std::to_string(held) +
                                     " of them are under a legal hold, which quarantine never "
                                     "moves: release or correct the hold first"
                               : "") +
          "), then run the migration again");
}

}  // namespace stella::host
