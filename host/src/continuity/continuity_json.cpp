// The continuity report as JSON (schemas/continuity-report.schema.json), written as it streams.
#include <ostream>

#include <rapidjson/ostreamwrapper.h>
#include <rapidjson/prettywriter.h>

#include "stella/host/continuity/continuity_report_output.hpp"

namespace stella::host {
namespace {

constexpr int kReportFormatVersion = 1;

using Writer = rapidjson::PrettyWriter<rapidjson::OStreamWrapper>;

void text(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
}

void optional_text(Writer& w, const char* key, const std::string& value) {
  w.Key(key);
  if (value.empty()) {
    w.Null();
  } else {
    w.String(value.c_str(), static_cast<rapidjson::SizeType>(value.size()));
  }
}

void integer(Writer& w, const char* key, std::int64_t value) {
  w.Key(key);
  w.Int64(value);
}

const char* result_of(bool passed) {
  return passed ? "pass" : "fail";
}

void checks(Writer& w, const std::function<CheckTally(ContinuityCheck)>& tally_of) {
  w.Key("checks");
  w.StartArray();
  for (const ContinuityCheck check : all_continuity_checks()) {
    const CheckTally tally = tally_of(check);
    w.StartObject();
    w.Key("id");
    w.String(continuity_check_id(check));
    w.Key("title");
    w.String(continuity_check_title(check));
    w.Key("result");
    w.String(result_of(tally.passed()));
    integer(w, "checked", tally.checked);
    integer(w, "failed", tally.failed);
    w.EndObject();
  }
  w.EndArray();
}

void failures(Writer& w, const ContinuityReport& report, const ContinuitySection& section) {
  w.Key("failures");
  w.StartArray();
  report.spool_of(section).read(section.first_finding, section.finding_count,
                                [&](const ContinuityFinding& finding) {
                                  w.StartObject();
                                  w.Key("check");
                                  w.String(continuity_check_id(finding.check));
                                  optional_text(w, "tenant", finding.tenant);
                                  optional_text(w, "bundle", finding.bundle);
                                  optional_text(w, "path", finding.path);
                                  text(w, "expected", finding.expected);
                                  text(w, "found", finding.found);
                                  text(w, "message", finding.message);
                                  w.EndObject();
                                });
  w.EndArray();
}

void root_side(Writer& w, const char* key, const std::string& given, const std::string& recorded,
               const std::string& recomputed, const std::string& stored,
               const std::string& recomputed_now, int generation, const std::string& algorithm,
               const std::string& hasher) {
  w.Key(key);
  w.StartObject();
  text(w, "given", given);
  optional_text(w, "recorded", recorded);
  optional_text(w, "recomputed", recomputed);
  optional_text(w, "stored", stored);
  optional_text(w, "recomputedNow", recomputed_now);
  if (generation > 0) {
    integer(w, "generation", generation);
    text(w, "algorithm", algorithm);
    text(w, "hasher", hasher);
  } else {
    w.Key("generation");
    w.Null();
    w.Key("algorithm");
    w.Null();
    w.Key("hasher");
    w.Null();
  }
  w.EndObject();
}

void root_pair(Writer& w, const char* key, const std::string& recorded,
               const std::string& recomputed, const std::string& stored,
               const std::string& recomputed_now) {
  w.Key(key);
  w.StartObject();
  optional_text(w, "recorded", recorded);
  optional_text(w, "recomputed", recomputed);
  optional_text(w, "stored", stored);
  optional_text(w, "recomputedNow", recomputed_now);
  w.EndObject();
}

/// null, or the generation whose root the equal roots given must be, and the migration cited.
void unchanged(Writer& w, const ContinuityReport& report) {
  w.Key("unchanged");
  if (!report.unchanged) {
    w.Null();
    return;
  }
  const NoRootChange& u = *report.unchanged;
  w.StartObject();
  integer(w, "generation", u.generation);
  text(w, "algorithm", u.algorithm);
  optional_text(w, "storedRoot", u.stored_root);
  w.Key("migration");
  if (u.migration) {
    const MigrationRecord& m = *u.migration;
    w.StartObject();
    integer(w, "runId", m.run_id);
    text(w, "fromVersion", m.from_version);
    text(w, "toVersion", m.to_version);
    text(w, "status", m.status);
    text(w, "startedAt", m.started_at);
    optional_text(w, "finishedAt", m.finished_at);
    integer(w, "auditEventId", m.audit_event_id);
    optional_text(w, "rootAfter", m.root_after);
    w.EndObject();
  } else {
    w.Null();
  }
  w.EndObject();
}

}  // namespace

void write_continuity_json(std::ostream& out, const ContinuityReport& report) {
  rapidjson::OStreamWrapper stream(out);
  Writer w(stream);
  w.SetIndent(' ', 2);
  const ContinuitySection& store = report.sections.front();
  const std::optional<TransitionRecord>& transition = report.transition;
  w.StartObject();
  text(w, "kind", "continuity-report");
  integer(w, "formatVersion", kReportFormatVersion);
  w.Key("result");
  w.String(result_of(report.passed()));
  text(w, "database", report.database);
  text(w, "schemaVersion", report.schema_version);
  root_side(w, "oldRoot", report.old_root_given, store.old_root_recorded, store.old_root_recomputed,
            store.old_root_stored, store.old_root_now, report.old_generation, report.old_algorithm,
            report.old_hasher);
  root_side(w, "newRoot", report.new_root_given, store.new_root_recorded, store.new_root_recomputed,
            store.new_root_stored, store.new_root_now, report.new_generation, report.new_algorithm,
            report.new_hasher);
  w.Key("transition");
  if (transition) {
    w.StartObject();
    integer(w, "id", transition->transition_id);
    integer(w, "fromGeneration", transition->from_generation);
    integer(w, "toGeneration", transition->to_generation);
    text(w, "recordedAt", transition->recorded_at);
    text(w, "recordedBy", transition->recorded_by);
    w.Key("auditEventId");
    if (transition->audit_event_id) {
      w.Int64(*transition->audit_event_id);
    } else {
      w.Null();
    }
    w.EndObject();
  } else {
    w.Null();
  }
  unchanged(w, report);
  text(w, "startedAt", report.started_at);
  text(w, "finishedAt", report.finished_at);
  text(w, "checkedBy", report.checked_by);
  text(w, "stellaVersion", report.tool_version);
  w.Key("summary");
  w.StartObject();
  integer(w, "tenants", report.tenant_count());
  integer(w, "bundles", report.bundle_count());
  integer(w, "artifacts", report.artifact_count());
  integer(w, "bundlesOutsideTransition", report.bundles_outside());
  integer(w, "failures", report.store_findings.size() + report.tenant_findings.size());
  w.EndObject();
  checks(w, [&](ContinuityCheck check) { return report.total(check); });
  w.Key("storeWide");
  w.StartObject();
  w.Key("result");
  w.String(result_of(store.passed() && (transition.has_value() || report.unchanged.has_value())));
  checks(w, [&](ContinuityCheck check) { return store.tally(check); });
  failures(w, report, store);
  w.EndObject();
  w.Key("tenants");
  w.StartArray();
  for (const ContinuitySection& section : report.sections) {
    if (section.store_wide) {
      continue;
    }
    w.StartObject();
    text(w, "tenant", section.tenant);
    w.Key("result");
    w.String(result_of(section.passed()));
    integer(w, "bundles", section.bundles);
    integer(w, "artifacts", section.artifacts);
    integer(w, "bundlesOutsideTransition", section.bundles_outside);
    integer(w, "artifactsOutsideTransition", section.artifacts_outside);
    root_pair(w, "oldRoot", section.old_root_recorded, section.old_root_recomputed,
              section.old_root_stored, section.old_root_now);
    root_pair(w, "newRoot", section.new_root_recorded, section.new_root_recomputed,
              section.new_root_stored, section.new_root_now);
    checks(w, [&](ContinuityCheck check) { return section.tally(check); });
    failures(w, report, section);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  stream.Flush();
  out << '\n';
}

}  // namespace stella::host
