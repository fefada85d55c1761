// append_audit_event: in the caller's transaction, chained, validated, with the documented hash.
#include <boost/test/unit_test.hpp>

#include "audit/audit_store_fixture.hpp"
#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/host/audit/audit_event_list.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/sdk/error.hpp"

namespace {

namespace host = stella::host;
using stella::test::AuditStore;
using stella::test::every_audit_type;
using stella::test::sample_audit_data;

bool error_mentions(const stella::sdk::Error& e, const std::string& part) {
  BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(stella::sdk::ErrorCode::internal));
  return std::string(e.what()).find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_append)

BOOST_AUTO_TEST_CASE(events_of_every_type_form_one_verifiable_chain) {
  AuditStore store;
  std::int64_t expected_id = 0;
  for (int round = 0; round < 3; ++round) {
    for (const auto& type : every_audit_type()) {
      BOOST_TEST(store.append(type, sample_audit_data(type)) == ++expected_id);
    }
  }
  const auto report = host::verify_audit_chain(store.connection());
  BOOST_TEST(report.intact(), (report.problem ? report.problem->message : ""));
  BOOST_TEST(report.events == expected_id);
  BOOST_TEST(report.head_id == expected_id);
  BOOST_TEST(store.scalar("SELECT hash FROM stella.audit_events WHERE id = 1") !=
             store.scalar("SELECT hash FROM stella.audit_events WHERE id = 2"));
  BOOST_TEST(store.scalar("SELECT prev_hash FROM stella.audit_events WHERE id = 1") ==
             "sha256:" + std::string(64, '0'));
  BOOST_TEST(store.scalar("SELECT prev_hash FROM stella.audit_events WHERE id = 2") ==
             store.scalar("SELECT hash FROM stella.audit_events WHERE id = 1"));
}

BOOST_AUTO_TEST_CASE(the_documented_recipe_recomputes_every_hash_in_plain_sql) {
  AuditStore store;
  for (const auto& type : every_audit_type()) {
    store.append(type, sample_audit_data(type));
  }
  store.append("seed", R"({"tenant": "zürich-ü", "note": "\u00e9t\u00e9"})", "zoë");
  const auto result = store.connection().exec(stella::test::kRecomputeHashesSql);
  BOOST_TEST(result.get_int64(0, 0) == result.get_int64(0, 1));
  BOOST_TEST(result.get_int64(0, 1) == static_cast<std::int64_t>(every_audit_type().size() + 1));
  BOOST_TEST(store.connection().exec(stella::test::kBrokenLinksSql).rows() == 0);
}

BOOST_AUTO_TEST_CASE(retention_follows_the_type) {
  AuditStore store;
  for (const auto& type : every_audit_type()) {
    store.append(type, sample_audit_data(type));
  }
  BOOST_TEST(store.scalar("SELECT string_agg(DISTINCT retention, ',') FROM stella.audit_events "
                          "WHERE event_type = 'verification'") == "7y");
  BOOST_TEST(store.scalar("SELECT string_agg(DISTINCT retention, ',') FROM stella.audit_events "
                          "WHERE event_type <> 'verification'") == "permanent");
}

BOOST_AUTO_TEST_CASE(data_is_stored_as_postgresql_renders_jsonb) {
  AuditStore store;
  store.append("schema_change", R"({"step":"s1","after_version":"1.1","before_version":"1.0"})");
  std::string data;
  host::for_each_audit_event(store.connection(), {},
                             [&](const host::AuditEvent& event) { data = event.data; });
  BOOST_TEST(data == R"({"step": "s1", "after_version": "1.1", "before_version": "1.0"})");
}

BOOST_AUTO_TEST_CASE(an_event_of_a_rolled_back_transaction_leaves_no_trace) {
  AuditStore store;
  store.append("store_init", "{}");
  const std::string head_before =
      store.scalar("SELECT last_id || ' ' || last_hash FROM stella.audit_chain_head");
  {
    host::PgTransaction transaction(store.connection());
    host::append_audit_event(store.connection(), host::audit_type::kMigrationStart, "alice",
                             sample_audit_data(host::audit_type::kMigrationStart));
    BOOST_TEST(store.count("SELECT count(*) FROM stella.audit_events") == 2);
  }  // rolled back
  BOOST_TEST(store.count("SELECT count(*) FROM stella.audit_events") == 1);
  BOOST_TEST(store.scalar("SELECT last_id || ' ' || last_hash FROM stella.audit_chain_head") ==
             head_before);
  BOOST_TEST(store.append("seed", "{}") == 2);  // no gap where the rolled-back event was
  BOOST_TEST(host::verify_audit_chain(store.connection()).intact());
}

BOOST_AUTO_TEST_CASE(each_runbook_type_requires_its_fields) {
  AuditStore store;
  const std::vector<std::pair<std::string, std::string>> incomplete = {
      {"migration_start", R"({"to_version": "2.0"})"},
      {"schema_change", R"({"before_version": "1.0"})"},
      {"root_hash_change", R"({"old_root": "sha256:aa", "new_root": "sha256:bb"})"},
      {"verification", R"({"result": "pass", "started_at": "a", "finished_at": "b"})"},
      {"rollback", R"({"restored_version": "1.0"})"}};
  const std::vector<std::string> missing = {"from_version", "after_version", "cross_reference",
                                            "anomalies", "reason"};
  for (std::size_t i = 0; i < incomplete.size(); ++i) {
    host::PgTransaction transaction(store.connection());
    BOOST_CHECK_EXCEPTION(host::append_audit_event(store.connection(), incomplete[i].first, "alice",
                                                   incomplete[i].second),
                          stella::sdk::Error, [&](const stella::sdk::Error& e) {
                            return error_mentions(e, "missing required field '" + missing[i] + "'");
                          });
  }
  BOOST_TEST(store.count("SELECT count(*) FROM stella.audit_events") == 0);
}

BOOST_AUTO_TEST_CASE(malformed_calls_are_refused_as_caller_bugs) {
  AuditStore store;
  BOOST_CHECK_EXCEPTION(
      host::append_audit_event(store.connection(), "seed", "alice", "{}"), stella::sdk::Error,
      [](const stella::sdk::Error& e) { return error_mentions(e, "outside a transaction"); });
  host::PgTransaction transaction(store.connection());
  BOOST_CHECK_EXCEPTION(host::append_audit_event(store.connection(), "seed", "alice", "{not json"),
                        stella::sdk::Error, [](const stella::sdk::Error& e) {
                          return error_mentions(e, "is not valid JSON");
                        });
  BOOST_CHECK_EXCEPTION(
      host::append_audit_event(store.connection(), "seed", "alice", R"("a string")"),
      stella::sdk::Error,
      [](const stella::sdk::Error& e) { return error_mentions(e, "expected a JSON object"); });
}

BOOST_AUTO_TEST_CASE(the_trail_is_append_only) {
  AuditStore store;
  store.append("store_init", "{}");
  for (const char* change : {"UPDATE stella.audit_events SET operator = 'mallory'",
                             "DELETE FROM stella.audit_events", "TRUNCATE stella.audit_events"}) {
    BOOST_CHECK_EXCEPTION(store.connection().exec(change), stella::sdk::Error,
                          [](const stella::sdk::Error& e) {
                            return std::string(e.what()).find("append-only") != std::string::npos;
                          });
  }
  BOOST_TEST(store.count("SELECT count(*) FROM stella.audit_events") == 1);
}

BOOST_AUTO_TEST_SUITE_END()
