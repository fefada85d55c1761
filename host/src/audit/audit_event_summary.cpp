#include "audit/audit_event_summary.hpp"

#include <rapidjson/document.h>

#include <functional>
#include <map>

#include "stella/host/audit/audit_log.hpp"

namespace stella::host {
namespace {

/// Hex digits of a digest shown in a summary; the whole digest is in the data.
constexpr std::size_t kDigestHexShown = 16;
/// Anomalies quoted in a verification's summary; the data lists the first hundred.
constexpr std::size_t kAnomalyTextShown = 160;

/// The data lacks a field a summary needs: the table shows the data instead.
struct MissingField {};

class Fields {
 public:
  explicit Fields(const rapidjson::Value& object) : object_(object) {}

  const rapidjson::Value& get(const char* name) const {
    const auto member = object_.FindMember(name);
    if (member == object_.MemberEnd()) {
      throw MissingField{};
    }
    return member->value;
  }
  bool has(const char* name) const {
    const auto member = object_.FindMember(name);
    return member != object_.MemberEnd() && !member->value.IsNull();
  }
  std::string text(const char* name) const {
    const rapidjson::Value& value = get(name);
    if (!value.IsString()) {
      throw MissingField{};
    }
    return {value.GetString(), value.GetStringLength()};
  }
  std::string text_or(const char* name, const std::string& otherwise) const {
    return has(name) ? text(name) : otherwise;
  }
  std::int64_t number(const char* name) const {
    const rapidjson::Value& value = get(name);
    if (!value.IsInt64()) {
      throw MissingField{};
    }
    return value.GetInt64();
  }
  std::string count(const char* name) const { return std::to_string(number(name)); }
  Fields object(const char* name) const {
    const rapidjson::Value& value = get(name);
    if (!value.IsObject()) {
      throw MissingField{};
    }
    return Fields(value);
  }
  const rapidjson::Value& array(const char* name) const {
    const rapidjson::Value& value = get(name);
    if (!value.IsArray()) {
      throw MissingField{};
    }
    return value;
  }

 private:
  const rapidjson::Value& object_;
};

/// "sha256:76d4db0ec3439f67…": the algorithm and the first hex digits.
std::string short_digest(const std::string& digest) {
  const std::size_t colon = digest.find(':');
  if (colon == std::string::npos || digest.size() <= colon + 1 + kDigestHexShown) {
    return digest;
  }
  return digest.substr(0, colon + 1 + kDigestHexShown) + "\u2026";
}

std::string arrow(const std::string& from, const std::string& to) {
  return from + " \u2192 " + to;
}

std::string store_init(const Fields& d) {
  return "store created at schema " + d.text("schema_version") + " in database " +
         d.text("database");
}

std::string seed(const Fields& d) {
  return "seeded " + d.count("bundles_added") + " bundles (" + d.count("artifacts_added") +
         " artifacts, " + d.count("bytes_added") + " bytes) into " + d.count("tenants") +
         " tenants; global root " + short_digest(d.text("global_root"));
}

std::string migration_start(const Fields& d) {
  const std::string versions = arrow(d.text("from_version"), d.text("to_version"));
  if (d.text_or("direction", "") == "rollback") {
    return "run " + d.count("run_id") + ": rollback of run " + d.count("rolls_back_run") +
           " started, schema " + versions + " (" + d.text("reason") + ")";
  }
  std::string steps;
  for (const auto& step : d.array("steps").GetArray()) {
    steps += (steps.empty() ? "" : ", ") + std::string(step.IsString() ? step.GetString() : "?");
  }
  return "run " + d.count("run_id") + ": schema " + versions + " started (" + steps +
         "); global root " + short_digest(d.text("global_root"));
}

std::string schema_change(const Fields& d) {
  return "run " + d.count("run_id") + " step " + d.count("step") + ": schema " +
         arrow(d.text("before_version"), d.text("after_version")) + " " + d.text("direction") +
         " by " + d.text("plugin_id") + " " + d.text("plugin_version") + ", " + d.count("batches") +
         " batches";
}

std::string rollback(const Fields& d) {
  std::string text = "run " + d.count("run_id") + ": schema " + d.text("restored_version") +
                     " restored (" + d.text("reason") + ")";
  if (d.has("roots_match") && d.get("roots_match").IsFalse()) {
    text += "; the roots did NOT match: " + d.text_or("problem", "see the data");
  }
  return text;
}

std::string root_hash_change(const Fields& d) {
  return arrow(short_digest(d.text("old_root")), short_digest(d.text("new_root"))) +
         ", generation " + arrow(d.count("from_generation"), d.count("to_generation")) +
         ", transition " + d.count("cross_reference") + " (" + d.count("tenants") + " tenants, " +
         d.count("bundles") + " bundles, " + d.count("artifacts") + " artifacts)";
}

/// The first anomaly as text: continuity records sentences, the others objects with a message.
std::string first_anomaly(const rapidjson::Value& anomalies) {
  if (anomalies.Empty()) {
    return "";
  }
  const rapidjson::Value& first = anomalies[0];
  std::string text;
  if (first.IsString()) {
    text = first.GetString();
  } else if (first.IsObject()) {
    text = Fields(first).text("message");
  }
  if (text.size() > kAnomalyTextShown) {
    text = text.substr(0, kAnomalyTextShown) + "\u2026";
  }
  return text;
}

std::string verification(const Fields& d) {
  const bool passed = d.text("result") == "pass";
  // verify-all's events of earlier versions name no check.
  std::string text = d.text_or("check", "verify-all") + (passed ? " PASS" : " FAIL");
  if (d.has("checked")) {
    const Fields checked = d.object("checked");
    text += ": " + checked.count("tenants") + " tenants, " + checked.count("bundles") +
            " bundles, " + checked.count("artifacts") + " artifacts";
  } else if (d.has("bundles")) {
    text += ": " + d.count("tenants") + " tenants, " + d.count("bundles") + " bundles, " +
            d.count("artifacts") + " artifacts";
  }
  if (!passed) {
    const rapidjson::Value& anomalies = d.array("anomalies");
    const std::int64_t count =
        d.has("anomaly_count") ? d.number("anomaly_count") : anomalies.Size();
    text += "; " + std::to_string(count) + (count == 1 ? " anomaly" : " anomalies") +
            (anomalies.Empty() ? "" : ", first: " + first_anomaly(anomalies));
  }
  return text;
}

std::string export_event(const Fields& d) {
  const Fields counts = d.object("counts");
  return d.text("layout") + " export of " +
         (d.text("scope") == "all" ? std::string("every tenant") : std::string("some tenants")) +
         " to " + d.text("output") + ": " + counts.count("tenants") + " tenants, " +
         counts.count("bundles") + " bundles, " + counts.count("artifacts") +
         " artifacts; manifest " + short_digest(d.text("manifest_digest"));
}

std::string import_event(const Fields& d) {
  const rapidjson::Value& sources = d.array("sources");
  if (sources.Empty() || !sources[0].IsObject()) {
    throw MissingField{};
  }
  const Fields first(sources[0]);
  std::string from = first.text("path") + " (" + first.text("source_format") + ")";
  if (sources.Size() > 1) {
    from += " and " + std::to_string(sources.Size() - 1) + " more";
  }
  const Fields counts = d.object("counts");
  std::string text = "from " + from + ": " + counts.count("bundles_imported") +
                     " bundles imported, " + counts.count("bundles_already_present") +
                     " already present; global root " + short_digest(d.text("global_root_after"));
  const std::string reindex_to = d.text_or("reindex_to", "");
  if (!reindex_to.empty()) {
    text += "; then reindexed to " + reindex_to + ", the source's algorithm (events that follow)";
  }
  return text;
}

std::string quarantine(const Fields& d) {
  const rapidjson::Value& moved = d.get("moved");
  if (!moved.IsObject()) {
    throw MissingField{};
  }
  std::string kinds;
  for (const auto& kind : moved.GetObject()) {
    kinds += (kinds.empty() ? "" : ", ") + std::string(kind.name.GetString()) + " " +
             std::to_string(kind.value.IsInt64() ? kind.value.GetInt64() : 0);
  }
  return "moved " + d.count("moved_total") + " orphan rows to " + d.text("quarantine_table") +
         " (" + kinds + "); " + d.count("kept_total") + " kept";
}

std::string config_change(const Fields& d) {
  return d.text("key") + ": " + arrow(d.text_or("old_value", "(unset)"), d.text("new_value"));
}

std::string reindex(const Fields& d) {
  const std::string action = d.text("action");
  const std::string generation =
      "generation " + d.count("generation") + " (" + d.text("algorithm") + ")";
  const std::string since = d.has("since") ? ", since " + d.text("since") : "";
  if (action == "incomplete") {
    return "run " + d.count("run_id") + ": " + generation +
           " not sealed: " + d.count("missing_artifacts") + " artifacts in " +
           d.count("missing_bundles") + " bundles not covered" + since;
  }
  return "run " + d.count("run_id") + " " + action + ": " + generation + " from generation " +
         d.count("from_generation") + " (" + d.text("from_algorithm") + "), " +
         d.count("artifacts") + " artifacts in " + d.count("bundles") + " bundles" + since;
}

std::string audit_prune(const Fields& d) {
  std::string text = "pruned " + d.count("count") + " verification events that occurred before " +
                     d.text("before");
  if (d.has("first_id")) {
    text += " (ids " + d.count("first_id") + " to " + d.count("last_id") + ")";
  }
  return text;
}

}  // namespace

std::optional<std::string> audit_event_summary(std::string_view event_type,
                                               std::string_view data_json) {
  using Summarizer = std::function<std::string(const Fields&)>;
  static const std::map<std::string, Summarizer, std::less<>> summarizers = {
      {audit_type::kStoreInit, store_init},
      {audit_type::kSeed, seed},
      {audit_type::kMigrationStart, migration_start},
      {audit_type::kSchemaChange, schema_change},
      {audit_type::kRollback, rollback},
      {audit_type::kRootHashChange, root_hash_change},
      {audit_type::kVerification, verification},
      {audit_type::kExport, export_event},
      {audit_type::kImport, import_event},
      {audit_type::kQuarantine, quarantine},
      {audit_type::kConfigChange, config_change},
      {audit_type::kReindex, reindex},
      {audit_type::kAuditPrune, audit_prune}};
  const auto summarizer = summarizers.find(event_type);
  if (summarizer == summarizers.end()) {
    return std::nullopt;
  }
  rapidjson::Document data;
  data.Parse(data_json.data(), data_json.size());
  if (data.HasParseError() || !data.IsObject()) {
    return std::nullopt;
  }
  try {
    return summarizer->second(Fields(data));
  } catch (const MissingField&) {
    return std::nullopt;
  }
}

}  // namespace stella::host
