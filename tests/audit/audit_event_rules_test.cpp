// The runbook's required data per event type, and retention per type.
#include <boost/test/unit_test.hpp>

#include <map>

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "stella/host/audit/audit_event_rules.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/sdk/error.hpp"

namespace {

namespace host = stella::host;
namespace sdk = stella::sdk;

rapidjson::Document parse(const std::string& json) {
  rapidjson::Document document;
  document.Parse(json.c_str());
  BOOST_REQUIRE(!document.HasParseError());
  return document;
}

/// validate_audit_event's error message, or "" when it accepts the event.
std::string rejection(std::string_view type, const std::string& json,
                      std::string_view operator_name = "alice") {
  try {
    host::validate_audit_event(type, operator_name, parse(json));
    return "";
  } catch (const sdk::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(sdk::ErrorCode::internal));
    return e.what();
  }
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_event_rules)

BOOST_AUTO_TEST_CASE(verification_is_kept_seven_years_everything_else_permanently) {
  BOOST_TEST(host::retention_for_type(host::audit_type::kVerification) == "7y");
  for (const char* type :
       {host::audit_type::kMigrationStart, host::audit_type::kSchemaChange,
        host::audit_type::kRootHashChange, host::audit_type::kRollback,
        host::audit_type::kStoreInit, host::audit_type::kAuditPrune, "anything_else"}) {
    BOOST_TEST(host::retention_for_type(type) == "permanent", type);
  }
}

BOOST_AUTO_TEST_CASE(complete_runbook_events_are_accepted) {
  BOOST_TEST(rejection("migration_start", R"({"from_version":"1.0","to_version":"2.0"})") == "");
  BOOST_TEST(rejection("schema_change", R"({"before_version":"1.0","after_version":"1.1"})") == "");
  BOOST_TEST(rejection("root_hash_change",
                       R"({"old_root":"sha256:aa","new_root":"sha512:bb","cross_reference":7})") ==
             "");
  BOOST_TEST(rejection("verification", R"({"result":"fail","anomalies":[{"bundle":"b1"}],)"
                                       R"("started_at":"t0","finished_at":"t1"})") == "");
  BOOST_TEST(rejection("rollback", R"({"reason":"step failed","restored_version":"1.0"})") == "");
  BOOST_TEST(rejection("audit_prune", R"({"count":0,"before":"2019-01-01T00:00:00Z"})") == "");
  BOOST_TEST(rejection("store_init", "{}") == "");
}

BOOST_AUTO_TEST_CASE(each_missing_required_field_is_named) {
  const std::vector<std::pair<std::string, std::string>> fields = {
      {"migration_start", "from_version"},
      {"migration_start", "to_version"},
      {"schema_change", "before_version"},
      {"schema_change", "after_version"},
      {"root_hash_change", "old_root"},
      {"root_hash_change", "new_root"},
      {"root_hash_change", "cross_reference"},
      {"verification", "result"},
      {"verification", "anomalies"},
      {"verification", "started_at"},
      {"verification", "finished_at"},
      {"rollback", "reason"},
      {"rollback", "restored_version"},
      {"audit_prune", "count"},
      {"audit_prune", "before"}};
  const std::map<std::string, std::string> complete = {
      {"migration_start", R"({"from_version":"1.0","to_version":"2.0"})"},
      {"schema_change", R"({"before_version":"1.0","after_version":"1.1"})"},
      {"root_hash_change", R"({"old_root":"a","new_root":"b","cross_reference":{"x":1}})"},
      {"verification", R"({"result":"pass","anomalies":[],"started_at":"a","finished_at":"b"})"},
      {"rollback", R"({"reason":"r","restored_version":"1.0"})"},
      {"audit_prune", R"({"count":1,"before":"2019-01-01T00:00:00Z"})"}};
  for (const auto& [type, field] : fields) {
    rapidjson::Document data = parse(complete.at(type));
    data.RemoveMember(field.c_str());
    rapidjson::StringBuffer buffer;
    rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
    data.Accept(writer);
    const std::string message = rejection(type, buffer.GetString());
    BOOST_TEST(mentions(message, "missing required field '" + field + "'"),
               type << ": " << message);
    BOOST_TEST(mentions(message, "'" + type + "'"), message);
  }
}

BOOST_AUTO_TEST_CASE(malformed_values_are_named_with_what_was_expected) {
  const std::string result = rejection(
      "verification", R"({"result":"maybe","anomalies":[],"started_at":"a","finished_at":"b"})");
  BOOST_TEST(mentions(result, "field 'result' is \"maybe\"; expected \"pass\" or \"fail\""),
             result);
  const std::string anomalies = rejection(
      "verification", R"({"result":"pass","anomalies":"none","started_at":"a","finished_at":"b"})");
  BOOST_TEST(mentions(anomalies, "field 'anomalies'"), anomalies);
  BOOST_TEST(mentions(anomalies, "expected an array"), anomalies);
  const std::string empty_version =
      rejection("schema_change", R"({"before_version":"","after_version":"1.1"})");
  BOOST_TEST(mentions(empty_version, "'before_version' is an empty string"), empty_version);
  const std::string null_reference =
      rejection("root_hash_change", R"({"old_root":"a","new_root":"b","cross_reference":null})");
  BOOST_TEST(mentions(null_reference, "'cross_reference' is null"), null_reference);
  const std::string negative_count = rejection("audit_prune", R"({"count":-1,"before":"x"})");
  BOOST_TEST(mentions(negative_count, "non-negative integer"), negative_count);
}

BOOST_AUTO_TEST_CASE(data_must_be_an_object_type_an_identifier_operator_non_empty) {
  BOOST_TEST(mentions(rejection("seed", "[1,2]"), "data is an array; expected a JSON object"));
  BOOST_TEST(mentions(rejection("Schema-Change", "{}"), "not a lower-case identifier"));
  BOOST_TEST(mentions(rejection("", "{}"), "not a lower-case identifier"));
  BOOST_TEST(mentions(rejection("seed", "{}", ""), "cannot record its operator: it is empty"));
  BOOST_TEST(mentions(rejection("seed", "{}", "two\nlines"),
                      "cannot record its operator: it holds a control character (0x0a) at byte 4"));
}

BOOST_AUTO_TEST_SUITE_END()
