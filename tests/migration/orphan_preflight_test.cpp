// An orphan row (an artifact whose bundle does not exist, loaded with foreign-key triggers off)
// passes verify-all, but a migration cannot carry it: the contract step would refuse after all the
// copying, and every retry would fail the same way. The plan (--dry-run), a migration and a plan
// file refuse before anything changes, naming the orphans and `stella evidence orphans
// --quarantine`; after the quarantine the migration runs.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "migration/migration_fixture.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(orphan_preflight)

BOOST_AUTO_TEST_CASE(orphans_are_named_before_a_migration_starts) {
  MigrationStore store("mig_orphans");
  store.init_and_seed();
  const std::filesystem::path plan = std::filesystem::temp_directory_path() /
                                     ("stella-orphans-plan-" + std::to_string(::getpid()));
  store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--output", plan.string()}));

  // What a restore tool or logical replication does: rows loaded with FK triggers off.
  store.sql().exec("BEGIN");
  store.sql().exec("SET LOCAL session_replication_role = replica");
  store.sql().exec(
      "INSERT INTO evidence.artifacts SELECT (jsonb_populate_record(NULL::evidence.artifacts, "
      "to_jsonb(a) || jsonb_build_object('bundle_id', '00000000-0000-4000-8000-000000000001'))).* "
      "FROM evidence.artifacts a ORDER BY a.bundle_id, a.path LIMIT 1");
  store.sql().exec("COMMIT");
  store.expect(0, {"evidence", "verify-all"});
  const std::string rows = store.evidence_rows_digest();

  for (const auto& args :
       {migrate_1_0_to_2_0({"--dry-run"}), migrate_1_0_to_2_0(),
        std::vector<std::string>{"evidence", "migrate", "--plan", plan.string()}}) {
    const ProcessResult refused = store.expect(3, args);
    BOOST_TEST(mentions(refused.err,
                        "the store holds 1 orphan rows that a migration cannot carry: "
                        "1 artifact_without_bundle"),
               refused.err);
    BOOST_TEST(mentions(refused.err, "00000000-0000-4000-8000-000000000001"), refused.err);
    BOOST_TEST(mentions(refused.err, "nothing was changed"), refused.err);
    BOOST_TEST(mentions(refused.err, "stella evidence orphans --list"), refused.err);
    BOOST_TEST(mentions(refused.err, "stella evidence orphans --quarantine"), refused.err);
  }
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows);
  BOOST_TEST(store.scalar("SELECT count(*) FROM stella.migration_runs") == "0");

  store.expect(0, {"evidence", "orphans", "--quarantine"});
  store.expect(0, migrate_1_0_to_2_0({"--batch-size", kSmallBatch}));
  BOOST_TEST(store.schema_version() == "2.0");
  std::filesystem::remove(plan);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
