#include "stella/host/audit/audit_event_rules.hpp"

#include <algorithm>
#include <string>
#include <vector>

#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/operator_name.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

/// What kind of value a required field must hold.
enum class FieldKind {
  /// A non-empty string (versions, roots, reasons, times).
  text = 1,
  /// A JSON array (anomalies: empty when there were none).
  array = 2,
  /// Any non-null value (a cross-reference may be an id or an object).
  present = 3,
  /// A non-negative integer.
  count = 4,
  /// The string "pass" or "fail".
  pass_or_fail = 5,
};

struct RequiredField {
  const char* name;
  FieldKind kind;
};

struct TypeRequirements {
  const char* type;
  std::vector<RequiredField> fields;
};

/// The runbook's "Audit Trail Requirements" table (the event's time and operator are columns of
/// every event, so Migration Start's timestamp and operator need no data field), plus the record
/// `audit prune` writes about itself. Other types carry free-form data.
const std::vector<TypeRequirements>& requirements() {
  static const std::vector<TypeRequirements> table = {
      {audit_type::kMigrationStart,
       {{"from_version", FieldKind::text}, {"to_version", FieldKind::text}}},
      {audit_type::kSchemaChange,
       {{"before_version", FieldKind::text}, {"after_version", FieldKind::text}}},
      {audit_type::kRootHashChange,
       {{"old_root", FieldKind::text},
        {"new_root", FieldKind::text},
        {"cross_reference", FieldKind::present}}},
      {audit_type::kVerification,
       {{"result", FieldKind::pass_or_fail},
        {"anomalies", FieldKind::array},
        {"started_at", FieldKind::text},
        {"finished_at", FieldKind::text}}},
      {audit_type::kRollback, {{"reason", FieldKind::text}, {"restored_version", FieldKind::text}}},
      {audit_type::kAuditPrune, {{"count", FieldKind::count}, {"before", FieldKind::text}}},
  };
  return table;
}

const char* expectation(FieldKind kind) {
  switch (kind) {
    case FieldKind::text:
      return "a non-empty string";
    case FieldKind::array:
      return "an array";
    case FieldKind::present:
      return "a value other than null";
    case FieldKind::count:
      return "a non-negative integer";
    case FieldKind::pass_or_fail:
      return "\"pass\" or \"fail\"";
  }
  return "a value";
}

bool matches(FieldKind kind, const rapidjson::Value& value) {
  switch (kind) {
    case FieldKind::text:
      return value.IsString() && value.GetStringLength() > 0;
    case FieldKind::array:
      return value.IsArray();
    case FieldKind::present:
      return !value.IsNull();
    case FieldKind::count:
      return value.IsInt64() && value.GetInt64() >= 0;
    case FieldKind::pass_or_fail:
      return value.IsString() && (std::string_view(value.GetString()) == "pass" ||
                                  std::string_view(value.GetString()) == "fail");
  }
  return false;
}

const char* json_kind(const rapidjson::Value& value) {
  if (value.IsNull()) {
    return "null";
  }
  if (value.IsBool()) {
    return "a boolean";
  }
  if (value.IsNumber()) {
    return "a number";
  }
  if (value.IsString()) {
    return value.GetStringLength() == 0 ? "an empty string" : "a string";
  }
  if (value.IsArray()) {
    return "an array";
  }
  return "an object";
}

/// How a value is named in an error: its kind, or for a string the string itself.
std::string describe(const rapidjson::Value& value) {
  constexpr std::size_t kMaxQuoted = 40;
  if (value.IsString() && value.GetStringLength() > 0) {
    const std::string text(value.GetString(), value.GetStringLength());
    return "\"" + (text.size() > kMaxQuoted ? text.substr(0, kMaxQuoted) + "..." : text) + "\"";
  }
  return json_kind(value);
}

std::string field_list(const std::vector<RequiredField>& fields) {
  std::string list;
  for (const auto& field : fields) {
    list += (list.empty() ? "" : ", ") + std::string(field.name);
  }
  return list;
}

bool is_identifier(std::string_view text) {
  if (text.empty() || text.front() < 'a' || text.front() > 'z') {
    return false;
  }
  return std::all_of(text.begin(), text.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

constexpr const char* kCallerBugHint =
    "this is a bug in the code that records the event; the change it belongs to was not committed";

}  // namespace

std::string_view retention_for_type(std::string_view event_type) {
  return event_type == audit_type::kVerification ? kRetentionSevenYears : kRetentionPermanent;
}

void validate_audit_event(std::string_view event_type, std::string_view operator_name,
                          const rapidjson::Value& data) {
  const std::string type(event_type);
  if (!is_identifier(event_type)) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "audit event type '" + type +
                         "' is not a lower-case identifier (expected letters, digits and '_', "
                         "starting with a letter, e.g. schema_change)",
                     kCallerBugHint);
  }
  if (const auto problem = operator_name_problem(operator_name)) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     "audit event '" + type + "' cannot record its operator: " + *problem +
                         "; expected the name of who ran the command (--operator or the login "
                         "name)",
                     kCallerBugHint);
  }
  if (!data.IsObject()) {
    throw sdk::Error(
        sdk::ErrorCode::internal,
        "audit event '" + type + "' data is " + json_kind(data) + "; expected a JSON object",
        kCallerBugHint);
  }
  const auto& table = requirements();
  const auto rules = std::find_if(table.begin(), table.end(), [&](const TypeRequirements& entry) {
    return event_type == entry.type;
  });
  if (rules == table.end()) {
    return;
  }
  for (const auto& field : rules->fields) {
    const auto member = data.FindMember(field.name);
    if (member == data.MemberEnd()) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "audit event '" + type + "' is missing required field '" + field.name +
                           "' (its data must have: " + field_list(rules->fields) + ")",
                       kCallerBugHint);
    }
    if (!matches(field.kind, member->value)) {
      throw sdk::Error(sdk::ErrorCode::internal,
                       "audit event '" + type + "' field '" + field.name + "' is " +
                           describe(member->value) + "; expected " + expectation(field.kind),
                       kCallerBugHint);
    }
  }
}

}  // namespace stella::host
