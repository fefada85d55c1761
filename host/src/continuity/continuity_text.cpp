// The continuity report for a terminal.
#include <ostream>

#include "stella/host/continuity/continuity_report_output.hpp"
#include "stella/host/reindex/reindex_runner.hpp"

namespace stella::host {
namespace {

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
          out << " bundle " << finding.bundle;
        }
        if (!finding.path.empty()) {
          out << " artifact " << finding.path;
        }
        // A store-wide finding names no record: its message follows the check directly.
        const bool names_record = !finding.bundle.empty() || !finding.path.empty();
        out << (names_record ? " — " : " ") << finding.message
            << "\n      expected: " << finding.expected << "\n      found:    " << finding.found
            << '\n';
      });
}

}  // namespace

void write_continuity_text(std::ostream& out, const ContinuityReport& report) {
  const ContinuitySection& store = report.sections.front();
  out << "Chain-of-custody continuity report: " << status_of(report.passed()) << '\n';
  out << "  database " << report.database << " (schema " << report.schema_version << "), "
      << report.started_at << " to " << report.finished_at << '\n';
  out << "  old root given:  " << report.old_root_given << '\n';
  out << "  new root given:  " << report.new_root_given << '\n';
  if (report.transition) {
    const TransitionRecord& t = *report.transition;
    out << "  transition " << t.transition_id << ": generation " << t.from_generation << " ("
        << t.from_algorithm << ") -> generation " << t.to_generation << " (" << t.to_algorithm
        << "), recorded " << t.recorded_at << " by " << t.recorded_by << ", audit event "
        << (t.audit_event_id ? std::to_string(*t.audit_event_id) : std::string("(none)")) << '\n';
    out << "  recomputed old root: " << store.old_root_recomputed << '\n';
    out << "  recomputed new root: " << store.new_root_recomputed << '\n';
    out << "  digests recomputed with: " << report.old_hasher << " (old), " << report.new_hasher
        << " (new)\n";
  }
  out << "  " << with_thousands(report.tenant_count()) << " tenants, "
      << with_thousands(report.bundle_count()) << " bundles and "
      << with_thousands(report.artifact_count()) << " artifacts in the transition";
  if (report.bundles_outside() > 0) {
    out << "; " << with_thousands(report.bundles_outside())
        << " bundles added after it (digests checked, not part of its roots)";
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
    out << "\nTenant " << section.tenant << ": " << status_of(section.passed()) << " ("
        << with_thousands(section.bundles) << " bundles, " << with_thousands(section.artifacts)
        << " artifacts";
    if (section.bundles_outside > 0) {
      out << "; " << with_thousands(section.bundles_outside) << " bundles added after the "
          << "transition";
    }
    out << ")\n";
    write_checks(
        out, [&](ContinuityCheck check) { return section.tally(check); }, "  ");
    write_findings(out, report, section);
  }
}

}  // namespace stella::host
