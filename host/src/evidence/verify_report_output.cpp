// Rendering the verify-all report.
#include "stella/host/evidence/verify_report_output.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <iomanip>
#include <sstream>

#include "evidence/json_output.hpp"
#include "stella/sdk/printable_text.hpp"

namespace stella::host {
namespace {

const char* result_word(const VerifyReport& report) {
  return report.passed() ? "pass" : "fail";
}

template <typename Writer>
void write_anomaly(Writer& w, const VerifyAnomaly& anomaly) {
  const auto member = [&](const char* key, const std::string& value) {
    w.Key(key);
    if (value.empty()) {
      w.Null();
    } else {
      w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
    }
  };
  w.StartObject();
  member("check", anomaly.check);
  member("tenant", anomaly.tenant);
  member("bundle", anomaly.bundle);
  member("artifact", anomaly.artifact);
  member("expected", anomaly.expected);
  member("found", anomaly.found);
  member("message", anomaly.message);
  w.EndObject();
}

template <typename Writer>
void write_counts(Writer& w, const VerifyCounts& counts) {
  w.StartObject();
  w.Key("tenants");
  w.Int64(counts.tenants);
  w.Key("bundles");
  w.Int64(counts.bundles);
  w.Key("artifacts");
  w.Int64(counts.artifacts);
  w.Key("bytes");
  w.Int64(counts.bytes);
  w.Key("signatures");
  w.Int64(counts.signatures);
  w.EndObject();
}

/// "tenant acme, bundle 1f2e..., artifact sbom/cyclonedx.json" (the parts that apply), each
/// escaped for the terminal.
std::string where(const VerifyAnomaly& anomaly) {
  std::string text;
  const auto add = [&](const char* label, const std::string& value) {
    if (!value.empty()) {
      text += (text.empty() ? "" : ", ") + std::string(label) + " " + sdk::printable_text(value);
    }
  };
  add("tenant", anomaly.tenant);
  add("bundle", anomaly.bundle);
  add("artifact", anomaly.artifact);
  return text.empty() ? "store" : text;
}

}  // namespace

std::string verify_report_to_json(const VerifyReport& report) {
  JsonOutput json;
  auto& w = json.writer();
  w.StartObject();
  json.text("report", "verify-all");
  json.text("result", result_word(report));
  json.text("schemaVersion", report.schema_version);
  json.text("database", report.database);
  json.text("algorithm", report.algorithm);
  json.text("startedAt", report.started_at);
  json.text("finishedAt", report.finished_at);
  json.number("elapsedSeconds", report.elapsed_seconds);
  json.optional_text("storedGlobalRoot", report.stored_global_root);
  json.text("recomputedGlobalRoot", report.recomputed_global_root);
  json.key("checked");
  write_counts(w, report.checked);
  json.integer("anomalyCount", report.anomaly_count);
  json.boolean("anomaliesTruncated",
               report.anomaly_count > static_cast<std::int64_t>(report.anomalies.size()));
  json.key("anomalies");
  w.StartArray();
  for (const VerifyAnomaly& anomaly : report.anomalies) {
    write_anomaly(w, anomaly);
  }
  w.EndArray();
  w.EndObject();
  return json.finish();
}

// What the store holds (names, paths, roots, the messages that quote them) is escaped for the
// terminal: a stored path holding a line break or an escape sequence must not print a verdict.
std::string verify_report_to_text(const VerifyReport& report) {
  using sdk::printable_text;
  std::ostringstream out;
  out << "verify-all: " << (report.passed() ? "PASS" : "FAIL") << " - database "
      << printable_text(report.database) << ", schema " << printable_text(report.schema_version)
      << ", " << printable_text(report.algorithm) << '\n'
      << "  checked " << report.checked.tenants << " tenants, " << report.checked.bundles
      << " bundles, " << report.checked.artifacts << " artifacts (" << report.checked.bytes
      << " bytes), " << report.checked.signatures << " signatures in " << std::fixed
      << std::setprecision(1) << report.elapsed_seconds << " s\n"
      << "  global root "
      << (report.stored_global_root ? printable_text(*report.stored_global_root) : "(none stored)")
      << '\n';
  if (!report.passed()) {
    out << "  " << report.anomaly_count << " problem" << (report.anomaly_count == 1 ? "" : "s")
        << " found:\n";
    for (const VerifyAnomaly& anomaly : report.anomalies) {
      out << "  - [" << anomaly.check << "] " << where(anomaly) << ": "
          << printable_text(anomaly.message) << "\n      expected "
          << printable_text(anomaly.expected) << "\n      found    "
          << printable_text(anomaly.found) << '\n';
    }
    if (report.anomaly_count > static_cast<std::int64_t>(report.anomalies.size())) {
      out << "  ... and "
          << report.anomaly_count - static_cast<std::int64_t>(report.anomalies.size())
          << " more (only the first " << report.anomalies.size() << " are listed)\n";
    }
  }
  return out.str();
}

std::string verify_audit_data(const VerifyReport& report, const std::string& report_path) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> w(buffer);
  w.StartObject();
  w.Key("check");
  w.String("verify-all");
  w.Key("result");
  w.String(result_word(report));
  w.Key("anomalies");
  w.StartArray();
  for (std::size_t i = 0; i < report.anomalies.size() && i < kAuditedAnomalies; ++i) {
    write_anomaly(w, report.anomalies[i]);
  }
  w.EndArray();
  w.Key("anomaly_count");
  w.Int64(report.anomaly_count);
  w.Key("started_at");
  w.String(report.started_at);
  w.Key("finished_at");
  w.String(report.finished_at);
  w.Key("schema_version");
  w.String(report.schema_version);
  w.Key("global_root");
  if (report.stored_global_root) {
    w.String(*report.stored_global_root);
  } else {
    w.Null();
  }
  w.Key("recomputed_global_root");
  w.String(report.recomputed_global_root);
  w.Key("checked");
  write_counts(w, report.checked);
  w.Key("report");
  if (report_path.empty()) {
    w.Null();
  } else {
    w.String(report_path);
  }
  w.EndObject();
  return buffer.GetString();
}

}  // namespace stella::host
