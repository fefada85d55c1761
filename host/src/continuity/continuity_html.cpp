// The continuity report as one self-contained HTML page: inline CSS, no script, no external
// resource, readable in any browser and printable for an auditor's file.
#include <ostream>

#include "continuity/counted_text.hpp"
#include "continuity/html_text.hpp"
#include "stella/host/continuity/continuity_report_output.hpp"
#include "stella/host/reindex/reindex_runner.hpp"

namespace stella::host {
namespace {

constexpr const char* kStyle = R"css(
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
       margin: 2rem auto; max-width: 80rem; padding: 0 1rem; color: #1f2328; background: #fff;
       line-height: 1.45; }
h1 { font-size: 1.6rem; margin-bottom: .3rem; }
h2 { font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #d0d7de; padding-bottom: .3rem; }
h3 { font-size: 1.05rem; margin-top: 1.5rem; }
.verdict { padding: .9rem 1rem; border-radius: 6px; font-size: 1.1rem; font-weight: 600; }
.verdict.ok { background: #dafbe1; border: 1px solid #1a7f37; color: #116329; }
.verdict.bad { background: #ffebe9; border: 1px solid #cf222e; color: #a40e26; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: #f6f8fa; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .85em;
       word-break: break-all; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 1rem; font-size: .78rem;
         font-weight: 700; color: #fff; white-space: nowrap; }
.badge.ok { background: #1a7f37; }
.badge.bad { background: #cf222e; }
.badge.none { background: #8c959f; }
.muted { color: #57606a; }
footer { margin-top: 2.5rem; font-size: .85rem; color: #57606a; }
@media print { body { margin: 0; max-width: none; } .verdict { border-width: 2px; } }
)css";

const char* verdict_word(bool passed) {
  return passed ? "PASS" : "FAIL";
}

std::string badge(bool passed) {
  return std::string("<span class=\"badge ") + (passed ? "ok" : "bad") + "\">" +
         verdict_word(passed) + "</span>";
}

std::string code(const std::string& text) {
  return text.empty() ? std::string("<span class=\"muted\">&mdash;</span>")
                      : "<code>" + html_text(text) + "</code>";
}

std::string number(std::int64_t value) {
  return with_thousands(value);
}

void root_row(std::ostream& out, const char* label, const std::string& given,
              const std::string& recorded, const std::string& recomputed, const std::string& stored,
              const std::string& recomputed_now) {
  // The stored root covers every record stored now, so it is held to the root recomputed over
  // them, which differs from the transition's when records were added after it.
  const bool matches = !given.empty() && given == recorded && given == recomputed &&
                       !stored.empty() && stored == recomputed_now;
  out << "<tr><th>" << label << "</th><td>" << code(given) << "</td><td>" << code(recorded)
      << "</td><td>" << code(recomputed) << "</td><td>" << code(stored);
  if (recomputed_now != recomputed) {
    out << "<br><span class=\"muted\">recomputed over every record stored now:</span> "
        << code(recomputed_now);
  }
  out << "</td><td>" << badge(matches) << "</td></tr>\n";
}

void check_table(std::ostream& out, const std::function<CheckTally(ContinuityCheck)>& tally_of) {
  out << "<table><thead><tr><th>check</th><th>what it proves</th><th>checked</th>"
         "<th>failed</th><th>result</th></tr></thead><tbody>\n";
  for (const ContinuityCheck check : all_continuity_checks()) {
    const CheckTally tally = tally_of(check);
    out << "<tr><td><code>" << continuity_check_id(check) << "</code></td><td>"
        << html_text(continuity_check_title(check)) << "</td><td class=\"num\">"
        << number(tally.checked) << "</td><td class=\"num\">" << number(tally.failed) << "</td><td>"
        << badge(tally.passed()) << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

void findings_table(std::ostream& out, const ContinuityReport& report,
                    const ContinuitySection& section) {
  out << "<table><thead><tr><th>check</th><th>bundle</th><th>artifact</th><th>problem</th>"
         "<th>expected</th><th>found</th></tr></thead><tbody>\n";
  report.spool_of(section).read(
      section.first_finding, section.finding_count, [&](const ContinuityFinding& finding) {
        out << "<tr><td>" << badge(false) << " <code>" << continuity_check_id(finding.check)
            << "</code></td><td>" << code(finding.bundle) << "</td><td>" << code(finding.path)
            << "</td><td>" << html_text(finding.message) << "</td><td>" << code(finding.expected)
            << "</td><td>" << code(finding.found) << "</td></tr>\n";
      });
  out << "</tbody></table>\n";
}

void tenant_overview(std::ostream& out, const ContinuityReport& report) {
  out << "<table><thead><tr><th>tenant</th><th>bundles</th><th>artifacts</th>";
  for (const ContinuityCheck check : all_continuity_checks()) {
    out << "<th><code>" << continuity_check_id(check) << "</code></th>";
  }
  out << "<th>result</th></tr></thead><tbody>\n";
  for (const ContinuitySection& section : report.sections) {
    if (section.store_wide) {
      continue;
    }
    out << "<tr><td>";
    if (section.passed()) {
      out << code(section.tenant);
    } else {
      out << "<a href=\"#tenant-" << html_text(section.tenant) << "\">" << code(section.tenant)
          << "</a>";
    }
    out << "</td><td class=\"num\">" << number(section.bundles) << "</td><td class=\"num\">"
        << number(section.artifacts) << "</td>";
    for (const ContinuityCheck check : all_continuity_checks()) {
      const CheckTally& tally = section.tally(check);
      out << "<td class=\"num\">";
      if (tally.checked == 0 && tally.failed == 0) {
        out << "<span class=\"badge none\">n/a</span>";
      } else {
        out << badge(tally.passed()) << ' '
            << (tally.passed() ? number(tally.checked)
                               : number(tally.failed) + " of " + number(tally.checked));
      }
      out << "</td>";
    }
    out << "<td>" << badge(section.passed()) << "</td></tr>\n";
  }
  out << "</tbody></table>\n";
}

void tenant_roots(std::ostream& out, const ContinuityReport& report) {
  const char* recorded_by = report.unchanged ? "stored" : "recorded by the transition";
  out << "<table><thead><tr><th>tenant</th><th>old root (" << recorded_by << ")</th>"
      << "<th>old root (recomputed)</th><th>old root stored now (roots-export)</th>"
      << "<th>new root (" << recorded_by << ")</th><th>new root (recomputed)</th>"
      << "<th>new root stored now (roots-export)</th></tr></thead><tbody>\n";
  const auto stored_cell = [&](const std::string& stored, const std::string& recomputed,
                               const std::string& now) {
    out << "<td>" << code(stored);
    if (now != recomputed) {
      out << "<br><span class=\"muted\">recomputed over every record stored now:</span> "
          << code(now);
    }
    out << "</td>";
  };
  for (const ContinuitySection& section : report.sections) {
    if (section.store_wide) {
      continue;
    }
    out << "<tr><td>" << code(section.tenant) << "</td><td>" << code(section.old_root_recorded)
        << "</td><td>" << code(section.old_root_recomputed) << "</td>";
    stored_cell(section.old_root_stored, section.old_root_recomputed, section.old_root_now);
    out << "<td>" << code(section.new_root_recorded) << "</td><td>"
        << code(section.new_root_recomputed) << "</td>";
    stored_cell(section.new_root_stored, section.new_root_recomputed, section.new_root_now);
    out << "</tr>\n";
  }
  out << "</tbody></table>\n";
}

/// The roots given are equal: what they were held to, and the migration record cited.
void unchanged_table(std::ostream& out, const ContinuityReport& report) {
  const NoRootChange& u = *report.unchanged;
  const bool passed = report.sections.front().tally(ContinuityCheck::transition).passed();
  out << "<p>"
      << (passed ? "No root change: the roots given are equal, and they are the active "
                   "generation's root."
                 : "The roots given are equal, so no root change is claimed; see the "
                   "store-wide problems below.")
      << "</p>\n<table><tbody>\n"
      << "<tr><th>active generation</th><td>" << u.generation << " (" << html_text(u.algorithm)
      << "), digests recomputed with " << html_text(report.old_hasher) << "</td></tr>\n"
      << "<tr><th>stored global root</th><td>" << code(u.stored_root) << "</td></tr>\n";
  out << "<tr><th>recorded migration</th><td>";
  if (u.migration) {
    const MigrationRecord& m = *u.migration;
    out << "run " << m.run_id << ", schema " << html_text(m.from_version) << " &rarr; "
        << html_text(m.to_version) << ", started " << html_text(m.started_at)
        << " from the root given (audit event " << m.audit_event_id << ", migration_start), "
        << html_text(m.status);
    if (!m.finished_at.empty()) {
      out << " " << html_text(m.finished_at);
    }
    if (!m.root_after.empty()) {
      out << "; global root after it " << code(m.root_after);
    }
  } else {
    out << "<span class=\"muted\">none recorded from this root</span>";
  }
  out << "</td></tr>\n</tbody></table>\n";
}

}  // namespace

void write_continuity_html(std::ostream& out, const ContinuityReport& report) {
  const bool passed = report.passed();
  const ContinuitySection& store = report.sections.front();
  const std::int64_t problems = report.store_findings.size() + report.tenant_findings.size();
  out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      << "<title>Chain-of-custody continuity report: " << verdict_word(passed) << "</title>\n"
      << "<style>" << kStyle << "</style>\n</head>\n<body>\n";
  out << "<h1>Chain-of-custody continuity report</h1>\n";
  out << "<p class=\"muted\">Evidence store <code>" << html_text(report.database)
      << "</code> (schema " << html_text(report.schema_version) << "), checked from "
      << html_text(report.started_at) << " to " << html_text(report.finished_at) << " by "
      << html_text(report.checked_by) << " with stella " << html_text(report.tool_version)
      << ".</p>\n";
  out << "<div class=\"verdict " << (passed ? "ok" : "bad") << "\">" << verdict_word(passed)
      << " &mdash; ";
  if (passed) {
    out << "every check passed over " << counted(report.tenant_count(), "tenant", "tenants") << ", "
        << counted(report.bundle_count(), "bundle", "bundles") << " and "
        << counted(report.artifact_count(), "artifact", "artifacts");
    if (report.unchanged) {
      out << ": the roots given are equal and they are the active generation's root (no root "
             "change), it recomputes from the stored digests, every digest recomputes from the "
             "stored bytes, and the stored tenant roots recompute.";
    } else {
      out << ": the old root still recomputes from the old digests, every digest recomputes from "
             "the stored bytes, the new root recomputes from the new digests, the stored roots of "
             "both generations recompute, both generations cover the same records, and the "
             "transition is recorded.";
    }
  } else {
    out << number(problems) << (problems == 1 ? " problem" : " problems")
        << " found; every failing record is named below.";
  }
  out << "</div>\n";

  out << "<h2>Roots</h2>\n<table><thead><tr><th></th><th>given</th><th>"
      << (report.unchanged ? "stored as the active generation's root"
                           : "recorded by the transition")
      << "</th><th>recomputed from the digests</th><th>stored now (roots-export)</th>"
         "<th>result</th></tr></thead><tbody>\n";
  root_row(out, "old global root", report.old_root_given, store.old_root_recorded,
           store.old_root_recomputed, store.old_root_stored, store.old_root_now);
  root_row(out, "new global root", report.new_root_given, store.new_root_recorded,
           store.new_root_recomputed, store.new_root_stored, store.new_root_now);
  out << "</tbody></table>\n";

  out << "<h2>Transition</h2>\n";
  if (report.transition) {
    const TransitionRecord& t = *report.transition;
    out << "<table><tbody>\n"
        << "<tr><th>transition</th><td>" << t.transition_id << "</td></tr>\n"
        << "<tr><th>from</th><td>generation " << t.from_generation << " ("
        << html_text(t.from_algorithm) << "), digests recomputed with "
        << html_text(report.old_hasher) << "</td></tr>\n"
        << "<tr><th>to</th><td>generation " << t.to_generation << " (" << html_text(t.to_algorithm)
        << "), digests recomputed with " << html_text(report.new_hasher) << "</td></tr>\n"
        << "<tr><th>recorded</th><td>" << html_text(t.recorded_at) << " by "
        << html_text(t.recorded_by) << "</td></tr>\n"
        << "<tr><th>audit event</th><td>"
        << (t.audit_event_id ? std::to_string(*t.audit_event_id) : std::string("(none)"))
        << " (root_hash_change)</td></tr>\n</tbody></table>\n";
  } else if (report.unchanged) {
    unchanged_table(out, report);
  } else {
    out << "<p>No recorded transition matches the roots given.</p>\n";
  }
  if (report.bundles_outside() > 0) {
    out << "<p class=\"muted\">" << counted(report.bundles_outside(), "bundle was", "bundles were")
        << " added after the transition: their digests are checked in both generations, but "
           "they are not part of the transition's roots.</p>\n";
  }

  out << "<h2>Checks</h2>\n";
  check_table(out, [&](ContinuityCheck check) { return report.total(check); });
  if (store.finding_count > 0) {
    out << "<h3>Store-wide problems</h3>\n";
    findings_table(out, report, store);
  }

  out << "<h2>Tenants</h2>\n";
  tenant_overview(out, report);
  for (const ContinuitySection& section : report.sections) {
    if (section.store_wide || section.finding_count == 0) {
      continue;
    }
    out << "<h3 id=\"tenant-" << html_text(section.tenant) << "\">Tenant <code>"
        << html_text(section.tenant) << "</code>: " << number(section.finding_count) << " failing "
        << (section.finding_count == 1 ? "record" : "records") << "</h3>\n";
    findings_table(out, report, section);
  }
  out << "<h2>Tenant roots</h2>\n";
  tenant_roots(out, report);

  out << "<footer>Reproduce with <code>stella evidence verify-continuity --old-root "
      << html_text(report.old_root_given) << " --new-root " << html_text(report.new_root_given)
      << "</code>. Every root can be recomputed independently from the stored evidence with the "
         "recipe in docs/merkle.md; this report's format is described in "
         "docs/continuity-report.md.</footer>\n";
  out << "</body>\n</html>\n";
}

}  // namespace stella::host
