// What migrate refuses, with the exit code and the message an operator acts on, changing nothing.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "migration/migration_fixture.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(refusals)

BOOST_AUTO_TEST_CASE(no_path_lists_the_installed_edges) {
  MigrationStore store("mig_nopath");
  store.init_and_seed();
  const std::string rows = store.evidence_rows_digest();
  for (const auto& extra : {std::vector<std::string>{"--dry-run"}, std::vector<std::string>{}}) {
    std::vector<std::string> args = {"evidence", "migrate",      "--from-version",
                                     "1.0",      "--to-version", "3.0"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto refused = store.expect(3, args);
    BOOST_TEST(mentions(refused.err,
                        "stella: error: no plugin provides a path 1.0 \u2192 3.0; installed edges: "
                        "1.0\u21921.1 (schema-1.0-to-1.1), 1.1\u21922.0 (schema-1.1-to-2.0)"));
    BOOST_TEST(mentions(refused.err, "what to do:"));
  }
  BOOST_TEST(store.evidence_rows_digest() == rows);
}

BOOST_AUTO_TEST_CASE(plans_come_from_manifests_and_load_only_the_steps_on_the_path) {
  // A schema step for 2.0 -> 3.0 whose "library" has the ELF magic bytes (so discovery, which runs
  // no plugin code, accepts it) but would fail to load: planning reads its manifest, and a
  // migration that does not need it never loads it. It is loose in a directory, not from a signed
  // pack: --allow-unsigned lets it be considered at all.
  const std::filesystem::path plugin_dir =
      std::filesystem::temp_directory_path() / ("stella-unloaded-" + std::to_string(::getpid()));
  const std::filesystem::path step_dir = plugin_dir / "schema-2.0-to-3.0";
  std::filesystem::create_directories(step_dir);
  std::ofstream(step_dir / "manifest.json")
      << R"({"id": "schema-2.0-to-3.0", "version": "0.1.0", "kind": "schema-step", "abi": 1,
             "library": "libstella_schema_2_0_to_3_0.so",
             "description": "a step that must never be loaded by a 1.0 -> 2.0 migration",
             "provides": {"edges": [{"from": "2.0", "to": "3.0"}]}})";
  std::ofstream(step_dir / "libstella_schema_2_0_to_3_0.so", std::ios::binary)
      << "\x7f"
         "ELF but nothing a dynamic loader could load\n";

  MigrationStore store("mig_manifests");
  store.init_and_seed();
  const std::string dir = plugin_dir.string();
  const auto refused =
      store.expect(3, {"--plugin-dir", dir, "--allow-unsigned", "evidence", "migrate",
                       "--from-version", "1.0", "--to-version", "4.0", "--dry-run"});
  BOOST_TEST(mentions(refused.err, "2.0\u21923.0 (schema-2.0-to-3.0)"));
  const auto plan =
      store.expect(0, {"--plugin-dir", dir, "--allow-unsigned", "--format", "json", "evidence",
                       "migrate", "--from-version", "1.0", "--to-version", "2.0", "--dry-run"});
  BOOST_TEST(valid_json(plan.out, "migration-plan.schema.json")["steps"].Size() == 2U);
  store.expect(0, {"--plugin-dir", dir, "--allow-unsigned", "evidence", "migrate", "--from-version",
                   "1.0", "--to-version", "2.0"});
  BOOST_TEST(store.schema_version() == "2.0");
  std::filesystem::remove_all(plugin_dir);
}

BOOST_AUTO_TEST_CASE(a_wrong_from_version_says_what_the_store_is_at) {
  MigrationStore store("mig_wrongfrom");
  store.init_and_seed();
  const std::string rows = store.evidence_rows_digest();
  for (const auto& extra : {std::vector<std::string>{"--dry-run"}, std::vector<std::string>{}}) {
    std::vector<std::string> args = {"evidence", "migrate",      "--from-version",
                                     "1.1",      "--to-version", "2.0"};
    args.insert(args.end(), extra.begin(), extra.end());
    const auto refused = store.expect(3, args);
    BOOST_TEST(mentions(refused.err, "the store is at schema 1.0, not 1.1 as --from-version says"));
  }
  BOOST_TEST(store.evidence_rows_digest() == rows);
  // A rollback named from the wrong version: the store's own version is suggested only when a
  // rollback from it could run.
  const auto nothing =
      store.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "2.0"});
  BOOST_TEST(mentions(nothing.err, "there is nothing to roll back"), nothing.err);
  BOOST_TEST(!mentions(nothing.err, "--rollback --from-version 1.0`"), nothing.err);

  store.expect(0, migrate_1_0_to_2_0());
  const auto again = store.expect(3, migrate_1_0_to_2_0());
  BOOST_TEST(mentions(again.err, "the store is at schema 2.0, not 1.0"));
  const auto named =
      store.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "1.0"});
  BOOST_TEST(mentions(named.err, "`stella evidence migrate --rollback --from-version 2.0`"),
             named.err);
}

BOOST_AUTO_TEST_CASE(bad_arguments_are_usage_errors) {
  MigrationStore store("mig_usage");
  store.init_and_seed();
  BOOST_TEST(mentions(store
                          .expect(2, {"evidence", "migrate", "--from-version", "one",
                                      "--to-version", "2.0", "--dry-run"})
                          .err,
                      "--from-version is 'one'; expected a schema version"));
  BOOST_TEST(mentions(store.expect(2, {"evidence", "migrate", "--to-version", "2.0"}).err,
                      "--from-version is required"));
  BOOST_TEST(mentions(store.expect(2, {"evidence", "migrate", "--dry-run", "--resume"}).err,
                      "cannot be combined"));
  BOOST_TEST(mentions(store.expect(2, migrate_1_0_to_2_0({"--batch-size", "0"})).err,
                      "--batch-size is 0; expected at least 1"));
  BOOST_TEST(mentions(store.expect(2, {"evidence", "migrate", "--status", "--run", "99"}).err,
                      "run 99 does not exist"));
  BOOST_TEST(store.schema_version() == "1.0");
}

BOOST_AUTO_TEST_CASE(nothing_to_resume_or_roll_back) {
  MigrationStore store("mig_nothing");
  store.init_and_seed();
  const auto resumed = store.expect(0, {"evidence", "migrate", "--resume"});
  BOOST_TEST(mentions(resumed.out, "Nothing to resume"));
  const auto rollback =
      store.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "1.0"});
  BOOST_TEST(mentions(rollback.err, "no completed migration to schema 1.0"));
  const auto status = store.expect(0, {"evidence", "migrate", "--status"});
  BOOST_TEST(mentions(status.out, "No migration has run on this store."));

  MigrationStore fresh("mig_fresh20");
  fresh.expect(0, {"evidence", "init", "--schema-version", "2.0"});
  BOOST_TEST(
      mentions(fresh.expect(3, {"evidence", "migrate", "--rollback", "--from-version", "2.0"}).err,
               "it was created at 2.0, or its migration was already rolled back"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
