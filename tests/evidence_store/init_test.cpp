// `stella evidence init`: creates the store once; a second init changes no row; unknown versions
// and missing stores are refused with the documented exit codes and messages.
#include <boost/test/unit_test.hpp>

#include "evidence_store/evidence_store_fixture.hpp"

using stella::test::EvidenceStore;
using stella::test::mentions;

BOOST_AUTO_TEST_SUITE(evidence_init)

BOOST_AUTO_TEST_CASE(second_init_says_so_and_changes_nothing) {
  EvidenceStore store("init_twice");
  const auto first = store.stella({"evidence", "init"});
  BOOST_REQUIRE_MESSAGE(first.exit_code == 0, first.err);
  BOOST_TEST(mentions(first.out, "initialised evidence store at schema 1.0"));
  BOOST_TEST(store.scalar("SELECT version FROM evidence.schema_version") == "1.0");
  BOOST_TEST(
      store.scalar("SELECT count(*) FROM stella.audit_events WHERE event_type = 'store_init'") ==
      "1");

  const std::string before = store.digest_of_all_rows();
  const auto second = store.stella({"evidence", "init", "--schema-version", "1.0"});
  BOOST_TEST(second.exit_code == 0);
  BOOST_TEST(mentions(second.out, "store already initialised at schema 1.0; nothing changed"));
  BOOST_TEST(store.digest_of_all_rows() == before);
}

BOOST_AUTO_TEST_CASE(unknown_version_is_bad_input_listing_the_available_ones) {
  EvidenceStore store("init_unknown");
  const auto result = store.stella({"evidence", "init", "--schema-version", "9.9"});
  BOOST_TEST(result.exit_code == 2);
  BOOST_TEST(mentions(result.err, "unknown schema version '9.9'; available: 1.0"));
  BOOST_TEST(store.scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'evidence'") == "0");
}

BOOST_AUTO_TEST_CASE(verbs_on_a_database_without_a_store_are_refused_with_exit_3) {
  EvidenceStore store("no_store");
  for (const auto& verb : {"verify-all", "stats", "roots-export", "seed"}) {
    std::vector<std::string> args = {"evidence", verb};
    if (std::string(verb) == "seed") {
      args.insert(args.end(), {"--tenants", "1", "--bundles", "1"});
    }
    const auto result = store.stella(args);
    BOOST_TEST(result.exit_code == 3, verb);
    BOOST_TEST(mentions(result.err, "no evidence store in database " + std::string() +
                                        store.scalar("SELECT current_database()") +
                                        "; run `stella evidence init`"),
               verb << ": " << result.err);
  }
}

BOOST_AUTO_TEST_CASE(a_foreign_evidence_schema_is_not_mistaken_for_a_store) {
  EvidenceStore store("foreign_schema");
  store.sql().exec("CREATE SCHEMA evidence");
  store.sql().exec("CREATE TABLE evidence.someone_elses (id int)");
  const auto result = store.stella({"evidence", "init"});
  BOOST_TEST(result.exit_code == 3);
  BOOST_TEST(mentions(result.err, "has a schema 'evidence' but no evidence.schema_version"));
}

BOOST_AUTO_TEST_CASE(an_empty_evidence_schema_prepared_by_a_dba_takes_the_store) {
  EvidenceStore store("prepared_schema");
  store.sql().exec("CREATE SCHEMA evidence");
  store.sql().exec("GRANT USAGE ON SCHEMA evidence TO PUBLIC");
  // Before init it is no store: the verbs say so, not that it is damaged.
  const auto stats = store.stella({"evidence", "stats"});
  BOOST_TEST(stats.exit_code == 3, stats.err);
  BOOST_TEST(mentions(stats.err, "no evidence store in database"), stats.err);
  store.init_and_seed();
  BOOST_TEST(store.scalar("SELECT version FROM evidence.schema_version") == "1.0");
  // The DBA's grant on the schema is kept.
  BOOST_TEST(mentions(store.scalar("SELECT nspacl::text FROM pg_namespace WHERE nspname = "
                                   "'evidence'"),
                      "=U/"));
}

BOOST_AUTO_TEST_CASE(an_evidence_schema_of_another_role_is_refused_naming_its_owner) {
  EvidenceStore store("others_schema");
  stella::test::ScopedRole role(store, "stella_test_init");
  store.sql().exec("GRANT CREATE ON DATABASE " +
                   store.sql().quote_identifier(store.scalar("SELECT current_database()")) +
                   " TO " + role.name());
  store.sql().exec("CREATE SCHEMA evidence");
  const std::string owner = store.scalar("SELECT current_user");
  const auto init = role.stella({"evidence", "init"});
  BOOST_TEST(init.exit_code == 3, init.err);
  BOOST_TEST(
      mentions(init.err, "role '" + role.name() + "' may not use schema 'evidence' of database"),
      init.err);
  BOOST_TEST(mentions(init.err, "which role '" + owner + "' owns (the schema is empty)"), init.err);
  BOOST_TEST(mentions(init.err, "what to do: ask '" + owner + "' to hand the schema over"),
             init.err);

  store.sql().exec("GRANT USAGE ON SCHEMA evidence TO " + role.name());
  const auto used = role.stella({"evidence", "init"});
  BOOST_TEST(used.exit_code == 3, used.err);
  BOOST_TEST(mentions(used.err, "may not create the store in schema 'evidence'"), used.err);
  BOOST_TEST(store.scalar("SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                          "c.relnamespace WHERE n.nspname = 'evidence'") == "0");
}

BOOST_AUTO_TEST_CASE(a_database_without_standard_conforming_strings_gets_an_intact_store) {
  // Off, the backslashes of the path CHECK's regular expressions would be read as escapes: init
  // would succeed and every later insert of an artifact fail.
  EvidenceStore store("init_scs_off");
  store.set_for_new_sessions("standard_conforming_strings = off");
  store.init_and_seed();
  BOOST_TEST(mentions(store.scalar("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                                   "WHERE conname = 'artifacts_path_check'"),
                      R"((^|/)\.\.?(/|$))"));
}

BOOST_AUTO_TEST_SUITE_END()
