// Pruning removes only verification events past their 7-year retention, leaves tombstones, records
// itself, and the chain still verifies.
#include <boost/test/unit_test.hpp>

#include "audit/audit_store_fixture.hpp"
#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/audit/audit_prune.hpp"
#include "stella/sdk/error.hpp"

namespace {

namespace host = stella::host;
using stella::test::AuditStore;
using stella::test::sample_audit_data;

/// A store whose trail spans nine years: old verification events (prunable), old permanent events
/// (never prunable), a recent verification event (inside its retention) and today's events.
struct AgedStore : AuditStore {
  AgedStore() {
    const std::string nine_years_ago = years_ago(9);
    const std::string eight_years_ago = years_ago(8);
    const std::string two_years_ago = years_ago(2);
    append_at("migration_start", sample_audit_data("migration_start"), nine_years_ago);  // 1
    append_at("verification", sample_audit_data("verification"), nine_years_ago);        // 2
    append_at("schema_change", sample_audit_data("schema_change"), eight_years_ago);     // 3
    append_at("verification", sample_audit_data("verification"), eight_years_ago);       // 4
    append_at("verification", sample_audit_data("verification"), eight_years_ago);       // 5
    append_at("rollback", sample_audit_data("rollback"), eight_years_ago);               // 6
    append_at("verification", sample_audit_data("verification"), two_years_ago);         // 7
    append("verification", sample_audit_data("verification"));                           // 8
    append("root_hash_change", sample_audit_data("root_hash_change"));                   // 9
  }

  std::string years_ago(int years) {
    return scalar("SELECT to_char((now() AT TIME ZONE 'UTC') - make_interval(years => " +
                  std::to_string(years) + "), 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
  }

  host::AuditPruneResult prune(const std::string& before, bool dry_run = false) {
    host::AuditPruneRequest request;
    request.before = before;
    request.dry_run = dry_run;
    request.operator_name = "retention-job";
    return host::prune_audit_events(connection(), request);
  }

  std::string ids(const std::string& table) {
    return scalar("SELECT string_agg(id::text, ',' ORDER BY id) FROM " + table);
  }
};

constexpr const char* kFarFuture = "2999-01-01T00:00:00Z";

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_prune)

BOOST_AUTO_TEST_CASE(a_dry_run_counts_and_changes_nothing) {
  AgedStore store;
  const std::string head = store.scalar("SELECT last_hash FROM stella.audit_chain_head");
  const auto result = store.prune(kFarFuture, true);
  BOOST_TEST(result.dry_run);
  BOOST_TEST(result.pruned == 3);
  BOOST_TEST(*result.first_id == 2);
  BOOST_TEST(*result.last_id == 5);
  BOOST_TEST(!result.audit_event_id.has_value());
  BOOST_TEST(store.ids("stella.audit_events") == "1,2,3,4,5,6,7,8,9");
  BOOST_TEST(store.count("SELECT count(*) FROM stella.audit_pruned") == 0);
  BOOST_TEST(store.scalar("SELECT last_hash FROM stella.audit_chain_head") == head);
}

BOOST_AUTO_TEST_CASE(prunes_only_verification_events_past_retention_and_the_chain_verifies) {
  AgedStore store;
  const auto result = store.prune(kFarFuture);
  BOOST_TEST(result.pruned == 3);
  BOOST_REQUIRE(result.audit_event_id.has_value());
  BOOST_TEST(*result.audit_event_id == 10);
  // Old permanent events stay; the recent verification events stay.
  BOOST_TEST(store.ids("stella.audit_events") == "1,3,6,7,8,9,10");
  BOOST_TEST(store.ids("stella.audit_pruned") == "2,4,5");
  BOOST_TEST(store.scalar("SELECT string_agg(DISTINCT pruned_by, ',') FROM stella.audit_pruned") ==
             "retention-job");
  BOOST_TEST(store.scalar("SELECT event_type || ' ' || (data->>'count') || ' ' || "
                          "(data->>'before') FROM stella.audit_events WHERE id = 10") ==
             "audit_prune 3 2999-01-01T00:00:00.000000Z");

  const auto report = host::verify_audit_chain(store.connection());
  BOOST_TEST(report.intact(), (report.problem ? report.problem->message : ""));
  BOOST_TEST(report.events == 10);
  BOOST_TEST(report.pruned == 3);
  BOOST_TEST(store.connection().exec(stella::test::kBrokenLinksSql).rows() == 0);

  // The chain keeps growing after a prune, and a second prune finds nothing left to remove.
  store.append("seed", "{}");
  BOOST_TEST(store.prune(kFarFuture).pruned == 0);
  BOOST_TEST(host::verify_audit_chain(store.connection()).intact());
}

BOOST_AUTO_TEST_CASE(tombstones_edited_or_made_by_hand_inside_a_prunes_range_are_found) {
  // Event 3 (schema_change, permanent) lies between the pruned ids 2 and 5: relabelled as a
  // pruned verification event by hand, and its tombstone's links hold. The prune's record does
  // not account for it.
  {
    AgedStore store;
    store.prune(kFarFuture);
    store.tamper(
        "INSERT INTO stella.audit_pruned (id, event_type, occurred_at, retention, prev_hash, "
        "hash, pruned_at, pruned_by) SELECT id, 'verification', occurred_at, '7y', prev_hash, "
        "hash, (SELECT pruned_at FROM stella.audit_pruned WHERE id = 2), 'retention-job' "
        "FROM stella.audit_events WHERE id = 3;"
        "DELETE FROM stella.audit_events WHERE id = 3");
    const auto report = host::verify_audit_chain(store.connection());
    BOOST_REQUIRE(!report.intact());
    BOOST_TEST(static_cast<int>(report.problem->kind) ==
               static_cast<int>(host::AuditBreak::unaccounted_tombstone));
    BOOST_TEST(report.problem->event_id == 10, report.problem->message);
  }
  {
    AgedStore store;
    store.prune(kFarFuture);
    store.tamper(
        "UPDATE stella.audit_pruned SET occurred_at = occurred_at - interval '1 year' "
        "WHERE id = 4");
    const auto report = host::verify_audit_chain(store.connection());
    BOOST_REQUIRE(!report.intact());
    BOOST_TEST(static_cast<int>(report.problem->kind) ==
               static_cast<int>(host::AuditBreak::unaccounted_tombstone));
    BOOST_TEST(report.problem->message.find("edited by hand") != std::string::npos,
               report.problem->message);
  }
}

BOOST_AUTO_TEST_CASE(before_limits_the_prune_further) {
  AgedStore store;
  // Between the nine- and eight-year-old events: only event 2 occurred before it.
  const std::string eight_and_a_half_years_ago = store.scalar(
      "SELECT to_char((now() AT TIME ZONE 'UTC') - interval '8 years 6 months', "
      "'YYYY-MM-DD')");
  const auto result = store.prune(eight_and_a_half_years_ago + "T00:00:00Z");
  BOOST_TEST(result.pruned == 1);
  BOOST_TEST(store.ids("stella.audit_pruned") == "2");
  BOOST_TEST(host::verify_audit_chain(store.connection()).intact());
}

BOOST_AUTO_TEST_CASE(a_broken_chain_is_not_pruned) {
  AgedStore store;
  store.tamper("UPDATE stella.audit_events SET data = '{}' WHERE id = 3");
  BOOST_CHECK_EXCEPTION(
      store.prune(kFarFuture), stella::sdk::Error, [](const stella::sdk::Error& e) {
        BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(stella::sdk::ErrorCode::refused));
        return std::string(e.what()).find("refusing to prune") != std::string::npos &&
               std::string(e.what()).find("event 3") != std::string::npos;
      });
  BOOST_TEST(store.count("SELECT count(*) FROM stella.audit_pruned") == 0);
}

BOOST_AUTO_TEST_CASE(prune_runs_its_own_transaction) {
  AgedStore store;
  host::PgTransaction transaction(store.connection());
  BOOST_CHECK_THROW(store.prune(kFarFuture), stella::sdk::Error);
}

BOOST_AUTO_TEST_SUITE_END()
