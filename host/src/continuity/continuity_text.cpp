// The continuity report for a terminal. Everything it quotes from the store (tenants, bundle ids,
// paths, recorded names and roots, the findings that cite them) is escaped with printable_text: a
// stored path holding a line break or an escape sequence must not print a verdict of its own.
#include <ostream>

#include "continuity/counted_text.hpp"

#include "stella/host/continuity/continuity_report_output.hpp"
#include "stella/host/reindex/reindex_runner.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella::host {
namespace {

using sdk::printable_text;

const char* status_of(bool passed) {
  return passed ? "PASS" : "FAIL";
}

void write_checks(std::ostream& out, const std::function<CheckTally(ContinuityCheck)>& tally_of,
                  const char* indent) {
  for (const ContinuityCheck check : all_continuity_checks()) {
    const CheckTally tally = tally_of(check);
    if (tally.checked == 0 && tally.failed == 0) {
      continue;
    }
    out << indent << status_of(tally.passed()) << "  " << continuity_check_id(check) << ": "
        << continuity_check_title(check) << " (" << with_thousands(tally.checked) << " checked";
    if (!tally.passed()) {
      out << ", " << with_thousands(tally.failed) << " failed";
    }
    out << ")\n";
  }
}

void write_findings(std::ostream& out, const ContinuityReport& report,
                    const ContinuitySection& section) {
  report.spool_of(section).read(
      section.first_finding, section.finding_count, [&](const ContinuityFinding& finding) {
        out << "    FAIL " << continuity_check_id(finding.check) << ":";
        if (!finding.bundle.empty()) {
          out << " bundle " << printable_text(finding.bundle);
        }
        if (!finding.path.empty()) {
          out << " artifact " << printable_text(finding.path);
        }
        // A store-wide finding names no record: its message follows the check directly.
        const bool names_record = !finding.bundle.empty() || !finding.path.empty();
        out << (names_record ? " — " : " ") << printable_text(finding.message)
            << "\n      expected: " << printable_text(finding.expected)
            << "\n      found:    " << printable_text(finding.found) << '\n';
      });
}

}  // namespace

void write_continuity_text(std::ostream& out, const ContinuityReport& report) {
  const ContinuitySection& store = report.sections.front();
  out << "Chain-of-custody continuity report: " << status_of(report.passed()) << '\n';
  out << "  database " << printable_text(report.database) << " (schema "
      << printable_text(report.schema_version) << "), " << report.started_at << " to "
      << report.finished_at << '\n';
  out << "  checked by " << printable_text(report.checked_by) << " with stella "
      << report.tool_version << '\n';
  out << "  old root given:  " << printable_text(report.old_root_given) << '\n';
  out << "  new root given:  " << printable_text(report.new_root_given) << '\n';
  if (report.transition) {
    const TransitionRecord& t = *report.transition;
    out << "  transition " << t.transition_id << ": generation " << t.from_generation << " ("
        << printable_text(t.from_algorithm) << ") -> generation " << t.to_generation << " ("
        << printable_text(t.to_algorithm) << "), recorded " << printable_text(t.recorded_at)
        << " by " << printable_text(t.recorded_by) << ", audit event "
        << (t.audit_event_id ? std::to_string(*t.audit_event_id) : std::string("(none)")) << '\n';
  }
  if (report.unchanged) {
    const NoRootChange& u = *report.unchanged;
    const bool transition_passed = store.tally(ContinuityCheck::transition).passed();
    out << "  "
        << (transition_passed ? "no root change: the roots given are equal, and they are "
                                "the active generation's root"
                              : "no root change claimed: the roots given are equal")
        << " (generation " << u.generation << ", " << printable_text(u.algorithm)
        << ", stored root "
        << (u.stored_root.empty() ? std::string("(none)") : printable_text(u.stored_root)) << ")\n";
    if (u.migration) {
      const MigrationRecord& m = *u.migration;
      out << "  recorded migration: run " << m.run_id << ", schema "
          << printable_text(m.from_version) << " -> " << printable_text(m.to_version)
          << ", started " << printable_text(m.started_at) << " from the root given (audit event "
          << m.audit_event_id << ", migration_start), " << printable_text(m.status);
      if (!m.finished_at.empty()) {
        out << " " << printable_text(m.finished_at);
      }
      if (!m.root_after.empty()) {
        out << ", global root after it " << printable_text(m.root_after);
      }
      out << '\n';
    }
  }
  if (report.transition || report.unchanged) {
    out << "  recomputed old root: " << store.old_root_recomputed << '\n';
    out << "  recomputed new root: " << store.new_root_recomputed << '\n';
    out << "  stored roots now (roots-export): generation " << report.old_generation << " "
        << (store.old_root_stored.empty() ? std::string("(none)")
                                          : printable_text(store.old_root_stored));
    if (report.new_generation != report.old_generation) {
      out << ", generation " << report.new_generation << " "
          << (store.new_root_stored.empty() ? std::string("(none)")
                                            : printable_text(store.new_root_stored));
    }
    out << '\n';
    if (store.old_root_now != store.old_root_recomputed ||
        store.new_root_now != store.new_root_recomputed) {
      out << "  recomputed over every record stored now: " << store.old_root_now;
      if (report.new_generation != report.old_generation) {
        out << ", " << store.new_root_now;
      }
      out << '\n';
    }
    out << "  digests recomputed with: " << report.old_hasher << " (old), " << report.new_hasher
        << " (new)\n";
  }
  out << "  " << counted(report.tenant_count(), "tenant", "tenants") << ", "
      << counted(report.bundle_count(), "bundle", "bundles") << " and "
      << counted(report.artifact_count(), "artifact", "artifacts")
      << (report.unchanged ? " checked" : " in the transition");
  if (report.bundles_outside() > 0) {
    out << "; " << counted(report.bundles_outside(), "bundle", "bundles")
        << " added after it (digests checked, not part of its roots)";
  }
  out << "\n\nChecks over the whole store:\n";
  write_checks(
      out, [&](ContinuityCheck check) { return report.total(check); }, "  ");
  if (store.finding_count > 0) {
    out << "\nStore-wide problems:\n";
    write_findings(out, report, store);
  }
  for (const ContinuitySection& section : report.sections) {
    if (section.store_wide) {
      continue;
    }
    out << "\nTenant " << printable_text(section.tenant) << ": " << status_of(section.passed())
        << " (" << counted(section.bundles, "bundle", "bundles") << ", "
        << counted(section.artifacts, "artifact", "artifacts");
    if (section.bundles_outside > 0) {
      out << "; " << counted(section.bundles_outside, "bundle", "bundles")
          << " added after the transition";
    }
    out << ")\n";
    write_checks(
        out, [&](ContinuityCheck check) { return section.tally(check); }, "  ");
    write_findings(out, report, section);
  }
}

}  // namespace stella::host
