// integrity-check: runs the areas in order on one store and records the verification event.
#include "stella/host/diagnostics/integrity_check.hpp"

#include <chrono>

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "diagnostics/integrity_areas.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/verification_record.hpp"
#include "stella/host/evidence/pg_binary_copy.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/reindex/store_generations.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// Problems named one by one in the verification audit event (the report names them all).
constexpr std::size_t kAuditedProblems = 100;

std::string now_iso8601() {
  return iso8601_from_unix_micros(std::chrono::duration_cast<std::chrono::microseconds>(
                                      std::chrono::system_clock::now().time_since_epoch())
                                      .count());
}

std::string audit_data(const IntegrityReport& report) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("result");
  w.String(report.passed() ? "pass" : "fail");
  w.Key("check");
  w.String(std::string("integrity-check --") + report.mode);
  w.Key("anomalies");
  w.StartArray();
  for (std::size_t i = 0; i < report.problems.size() && i < kAuditedProblems; ++i) {
    const IntegrityProblem& problem = report.problems[i];
    w.StartObject();
    w.Key("area");
    w.String(problem.area);
    w.Key("check");
    w.String(problem.check);
    w.Key("message");
    w.String(problem.message);
    w.EndObject();
  }
  w.EndArray();
  w.Key("anomaly_count");
  w.Int64(report.problem_count);
  w.Key("started_at");
  w.String(report.started_at);
  w.Key("finished_at");
  w.String(report.finished_at);
  w.Key("schema_version");
  w.String(report.schema_version);
  w.Key("global_root");
  w.String(report.stored_global_root);
  w.EndObject();
  return buffer.GetString();
}

}  // namespace

IntegrityReport check_store_integrity(const std::string& conninfo, PluginRegistry& registry,
                                      const IntegrityOptions& options) {
  IntegrityReport report;
  report.mode = options.deep ? "deep" : "quick";
  report.tool_version = STELLA_VERSION;
  report.operator_name = options.operator_name;
  report.started_at = now_iso8601();
  auto connection = PgConnection::connect(conninfo);
  report.database = database_name(*connection);
  const auto layout = open_store_layout(*connection);
  report.schema_version = layout->schema_version();
  {
    const StoredRoots stored = layout->stored_roots(*connection);
    report.algorithm = stored.algorithm;
    report.stored_global_root = stored.global ? stored.global->root : "";
  }
  IntegrityCollector collector(report);

  collector.begin_area(integrity_area::kSchema, "the live schema objects match what schema " +
                                                    report.schema_version + " defines");
  check_schema_objects(*connection, report.schema_version, collector);

  collector.begin_area(integrity_area::kAudit,
                       "the audit trail's hash chain is intact from its first event to its head");
  check_audit_chain(*connection, collector);

  // Quick mode checks the generation verbs use; saying "every stored root" would claim the
  // others too, which only --deep (the generations area) checks.
  collector.begin_area(
      integrity_area::kRoots,
      std::string("every stored root") +
          (report.schema_version == kGenerationsSchemaVersion ? " of the active digest generation"
                                                              : "") +
          " matches what it commits to as stored (bundle roots from artifact "
          "digests, tenant roots from bundle roots, the global root from tenant "
          "roots)" +
          (report.schema_version == kGenerationsSchemaVersion && !options.deep
               ? "; the other generations: --deep"
               : ""));
  check_stored_roots(conninfo, registry, collector);

  if (options.deep) {
    collector.begin_area(integrity_area::kContent,
                         "every artifact digest recomputes from the stored bytes, every root from "
                         "the digests, every attestation signature verifies");
    check_content(conninfo, *layout, options.attestation_workers, collector);

    collector.begin_area(integrity_area::kGenerations,
                         "every digest generation and every recorded transition between "
                         "generations verifies (both generations' digests and roots, the "
                         "cross-references, coverage)");
    if (report.schema_version == kGenerationsSchemaVersion) {
      check_generations(conninfo, registry, collector);
    } else {
      collector.count_checked(1);
      collector.set_note("schema " + report.schema_version +
                         " has one digest generation, verified by the content area.");
    }
  }
  report.finished_at = now_iso8601();

  // The verification event is the only write, in its own short transaction after the reads.
  report.audit_event_id = record_verification(
      *connection, options.operator_name, audit_data(report),
      "integrity-check (" + report.mode + "): " + (report.passed() ? "PASS" : "FAIL") + " (" +
          std::to_string(report.problem_count) + " problems)");
  return report;
}

}  // namespace stella::host
