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
  const auto result = store.stella({"evidence", "init"});
  BOOST_TEST(result.exit_code == 3);
  BOOST_TEST(mentions(result.err, "has a schema 'evidence' but no evidence.schema_version"));
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
