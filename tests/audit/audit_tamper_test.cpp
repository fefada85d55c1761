// Damage done through SQL, by someone who bypasses the append-only triggers, is found and named.
#include <boost/test/unit_test.hpp>

#include "audit/audit_store_fixture.hpp"
#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/sdk/error.hpp"

namespace {

namespace host = stella::host;
using host::AuditBreak;
using stella::test::AuditStore;
using stella::test::every_audit_type;
using stella::test::sample_audit_data;

/// A store with one event of each type (ids 1..8).
struct TamperedStore : AuditStore {
  TamperedStore() {
    for (const auto& type : every_audit_type()) {
      append(type, sample_audit_data(type));
    }
    BOOST_REQUIRE(host::verify_audit_chain(connection()).intact());
  }

  host::AuditChainProblem problem() {
    const auto report = host::verify_audit_chain(connection());
    BOOST_REQUIRE(!report.intact());
    return *report.problem;
  }
};

int kind(AuditBreak value) {
  return static_cast<int>(value);
}

bool mentions(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(audit_tamper)

BOOST_AUTO_TEST_CASE(edited_data_names_the_event) {
  TamperedStore store;
  store.tamper(
      "UPDATE stella.audit_events SET data = jsonb_set(data, '{result}', '\"fail\"') "
      "WHERE id = 4");
  const auto problem = store.problem();
  BOOST_TEST(kind(problem.kind) == kind(AuditBreak::altered));
  BOOST_TEST(problem.event_id == 4);
  BOOST_TEST(*problem.event_type == "verification");
  BOOST_TEST(mentions(problem.message, "event 4 (verification, "), problem.message);
}

BOOST_AUTO_TEST_CASE(edited_time_and_operator_name_the_event) {
  TamperedStore store;
  store.tamper(
      "UPDATE stella.audit_events SET occurred_at = occurred_at - interval '1 day' "
      "WHERE id = 2");
  BOOST_TEST(store.problem().event_id == 2);

  TamperedStore other;
  other.tamper("UPDATE stella.audit_events SET operator = 'mallory' WHERE id = 6");
  BOOST_TEST(other.problem().event_id == 6);
}

BOOST_AUTO_TEST_CASE(an_edited_hash_names_the_event) {
  TamperedStore store;
  const std::string forged = "sha256:" + std::string(64, 'c');
  store.tamper("UPDATE stella.audit_events SET hash = '" + forged + "' WHERE id = 3");
  const auto problem = store.problem();
  BOOST_TEST(kind(problem.kind) == kind(AuditBreak::altered));
  BOOST_TEST(problem.event_id == 3);
  BOOST_TEST(problem.found == forged);
}

BOOST_AUTO_TEST_CASE(a_rewritten_prev_hash_names_the_broken_link) {
  TamperedStore store;
  store.tamper("UPDATE stella.audit_events SET prev_hash = 'sha256:" + std::string(64, 'b') +
               "' WHERE id = 3");
  const auto problem = store.problem();
  BOOST_TEST(kind(problem.kind) == kind(AuditBreak::broken_link));
  BOOST_TEST(problem.event_id == 3);
  BOOST_TEST(problem.expected == store.scalar("SELECT hash FROM stella.audit_events WHERE id = 2"));
  // The auditor's SQL link check of docs/audit-trail.md finds the same event.
  const auto links = store.connection().exec(stella::test::kBrokenLinksSql);
  BOOST_REQUIRE(links.rows() == 1);
  BOOST_TEST(links.get_int64(0, 0) == 3);
}

BOOST_AUTO_TEST_CASE(a_deleted_event_names_the_gap) {
  TamperedStore store;
  const std::string hash5 = store.scalar("SELECT hash FROM stella.audit_events WHERE id = 5");
  store.tamper("DELETE FROM stella.audit_events WHERE id = 5");
  const auto problem = store.problem();
  BOOST_TEST(kind(problem.kind) == kind(AuditBreak::missing));
  BOOST_TEST(problem.event_id == 5);
  BOOST_TEST(problem.message == "event 5 is missing: event 6's prev_hash points to " + hash5 +
                                    " which no event or tombstone has");
}

BOOST_AUTO_TEST_CASE(deleting_the_last_event_is_found_through_the_head) {
  TamperedStore store;
  store.tamper("DELETE FROM stella.audit_events WHERE id = 8");
  const auto problem = store.problem();
  BOOST_TEST(kind(problem.kind) == kind(AuditBreak::missing));
  BOOST_TEST(problem.event_id == 8);
}

BOOST_AUTO_TEST_CASE(hiding_a_permanent_event_as_a_tombstone_is_found) {
  TamperedStore store;
  store.tamper(
      "INSERT INTO stella.audit_pruned (id, event_type, occurred_at, retention, prev_hash, hash, "
      "pruned_by) SELECT id, event_type, occurred_at, retention, prev_hash, hash, 'mallory' "
      "FROM stella.audit_events WHERE id = 2;"
      "DELETE FROM stella.audit_events WHERE id = 2");
  const auto problem = store.problem();
  BOOST_TEST(kind(problem.kind) == kind(AuditBreak::unprunable_removed));
  BOOST_TEST(problem.event_id == 2);
}

BOOST_AUTO_TEST_CASE(relabelling_a_permanent_event_as_an_old_verification_tombstone_is_found) {
  // The tombstone's type, time and retention are in no event hash: a hand-made tombstone claiming
  // "a verification event pruned after 7 years" kept the chain's links. No prune accounts for it.
  TamperedStore store;
  store.tamper(
      "INSERT INTO stella.audit_pruned (id, event_type, occurred_at, retention, prev_hash, hash, "
      "pruned_at, pruned_by) SELECT id, 'verification', occurred_at - interval '8 years', '7y', "
      "prev_hash, hash, clock_timestamp(), 'mallory' FROM stella.audit_events WHERE id = 2;"
      "DELETE FROM stella.audit_events WHERE id = 2");
  const auto problem = store.problem();
  BOOST_TEST(kind(problem.kind) == kind(AuditBreak::unaccounted_tombstone));
  BOOST_TEST(problem.event_id == 2);
  BOOST_TEST(mentions(problem.message, "no audit_prune event accounts for"), problem.message);
}

BOOST_AUTO_TEST_CASE(a_verify_stops_at_the_first_break) {
  TamperedStore store;
  store.tamper("UPDATE stella.audit_events SET operator = 'x' WHERE id IN (3, 7)");
  const auto report = host::verify_audit_chain(store.connection());
  BOOST_REQUIRE(!report.intact());
  BOOST_TEST(report.problem->event_id == 3);
  BOOST_TEST(report.events == 2);
}

BOOST_AUTO_TEST_CASE(appending_after_a_deleted_head_row_is_refused) {
  TamperedStore store;
  store.connection().exec("DELETE FROM stella.audit_chain_head");
  host::PgTransaction transaction(store.connection());
  BOOST_CHECK_EXCEPTION(
      host::append_audit_event(store.connection(), "seed", "alice", "{}"), stella::sdk::Error,
      [](const stella::sdk::Error& e) { return mentions(e.what(), "chain head"); });
}

BOOST_AUTO_TEST_SUITE_END()
