// A DBA's least-privilege roles on the store's database: a role that may only read can verify and
// read the configuration without DDL, and learns in two lines what it cannot record; a role that
// schema 2.0's row-level security restricts is refused instead of shown an empty store.
#include <boost/test/unit_test.hpp>

#include "evidence_store/evidence_store_fixture.hpp"

using stella::test::EvidenceStore;
using stella::test::mentions;
using stella::test::ScopedRole;

namespace {

void grant_reading(EvidenceStore& store, const std::string& role) {
  store.sql().exec("GRANT USAGE ON SCHEMA evidence, stella TO " + role);
  store.sql().exec("GRANT SELECT ON ALL TABLES IN SCHEMA evidence, stella TO " + role);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(restricted_roles)

BOOST_AUTO_TEST_CASE(a_reading_role_needs_no_ddl_and_is_told_what_it_cannot_record) {
  EvidenceStore store("role_reader");
  store.init_and_seed();
  ScopedRole reader(store, "stella_test_reader");
  grant_reading(store, reader.name());

  const auto config = reader.stella({"evidence", "config", "get"});
  BOOST_TEST(config.exit_code == 0, config.err);
  const auto stats = reader.stella({"evidence", "stats"});
  BOOST_TEST(stats.exit_code == 0, stats.err);

  // The verification ran and passed; only its audit event could not be written.
  const auto verify = reader.stella({"evidence", "verify-all"});
  BOOST_TEST(verify.exit_code == 3, verify.out << verify.err);
  BOOST_TEST(mentions(verify.out, "verify-all: PASS"), verify.out);
  BOOST_TEST(mentions(verify.err, "verify-all: PASS"), verify.err);
  BOOST_TEST(mentions(verify.err, "could not be recorded in the audit trail: role '" +
                                      reader.name() + "' may not write stella.audit_events"),
             verify.err);
  BOOST_TEST(mentions(verify.err, "what to do: "), verify.err);
  BOOST_TEST(!mentions(verify.err, "CREATE SCHEMA"), verify.err);

  // A state schema that needs DDL is refused in two lines naming the role and the remedy.
  store.sql().exec("DELETE FROM stella.state_migrations WHERE name = '004_quarantine.sql'");
  const auto outdated = reader.stella({"evidence", "config", "get"});
  BOOST_TEST(outdated.exit_code == 3, outdated.err);
  BOOST_TEST(mentions(outdated.err, "role '" + reader.name() +
                                        "' may not bring stella's state "
                                        "schema (schema stella) up to this stella's version"),
             outdated.err);
  BOOST_TEST(mentions(outdated.err, "what to do: run this stella once as the role that owns"),
             outdated.err);
}

BOOST_AUTO_TEST_CASE(a_read_only_database_verifies_and_says_the_result_was_not_recorded) {
  EvidenceStore store("role_read_only");
  store.init_and_seed();
  store.set_for_new_sessions("default_transaction_read_only = on");
  const auto config = store.stella({"evidence", "config", "get"});
  BOOST_TEST(config.exit_code == 0, config.err);
  const auto verify = store.stella({"evidence", "verify-all"});
  BOOST_TEST(verify.exit_code == 3, verify.out << verify.err);
  BOOST_TEST(mentions(verify.err, "verify-all: PASS"), verify.err);
  BOOST_TEST(mentions(verify.err, "the database is read-only"), verify.err);
  const auto check = store.stella({"evidence", "integrity-check"});
  BOOST_TEST(check.exit_code == 3, check.out << check.err);
  BOOST_TEST(mentions(check.err, "integrity-check (quick): "), check.err);
  BOOST_TEST(mentions(check.err, "could not be recorded in the audit trail"), check.err);
}

BOOST_AUTO_TEST_CASE(a_role_that_row_security_restricts_is_refused_not_shown_an_empty_store) {
  EvidenceStore store("role_rls");
  const auto init = store.stella({"evidence", "init", "--schema-version", "2.0"});
  BOOST_TEST_REQUIRE(init.exit_code == 0, init.err);
  const auto seed = store.stella({"evidence", "seed", "--tenants", "2", "--bundles", "2",
                                  "--artifacts-per-bundle", "2", "--seed", "3"});
  BOOST_TEST_REQUIRE(seed.exit_code == 0, seed.err);
  ScopedRole auditor(store, "stella_test_auditor");
  grant_reading(store, auditor.name());
  const std::string owner = store.scalar(
      "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = "
      "'evidence.bundles'::regclass");

  for (const char* verb : {"stats", "verify-all", "roots-export"}) {
    const auto refused = auditor.stella({"evidence", verb});
    BOOST_TEST(refused.exit_code == 3, verb << ": " << refused.out << refused.err);
    BOOST_TEST(mentions(refused.err, "role '" + auditor.name() +
                                         "' is subject to the row-level security of evidence."),
               refused.err);
    BOOST_TEST(mentions(refused.err, "GRANT " + owner + " TO " + auditor.name()), refused.err);
  }
  // Nothing false was recorded.
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = "
                          "'verification'") == "0");

  store.sql().exec("ALTER ROLE " + auditor.name() + " BYPASSRLS");
  const auto stats = auditor.stella({"evidence", "stats", "--format", "text"});
  BOOST_TEST(stats.exit_code == 0, stats.err);
  BOOST_TEST(mentions(stats.out, "bundles       4"), stats.out);
}

BOOST_AUTO_TEST_SUITE_END()
