// `migrate --dry-run`: the plan, in text and JSON, with the store state it was made against, and
// not one row or catalog entry changed.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "migration/migration_fixture.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(dry_run)

BOOST_AUTO_TEST_CASE(describes_the_plan_and_changes_nothing) {
  MigrationStore store("mig_dry");
  store.init_and_seed();
  const ExportedRoots roots_before = store.roots();
  const std::string rows_before = store.evidence_rows_digest();
  const std::string state_before = store.state_rows_digest();
  const std::vector<std::string> catalog_before = store.catalog();

  const auto text = store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--batch-size", kSmallBatch}));
  BOOST_TEST(mentions(text.out, "Migration plan: schema 1.0 \u2192 2.0 in 2 steps"));
  BOOST_TEST(mentions(text.out, "Step 1 of 2: 1.0 \u2192 1.1 by plugin schema-1.0-to-1.1 1.0.0"));
  BOOST_TEST(mentions(text.out, "Step 2 of 2: 1.1 \u2192 2.0 by plugin schema-1.1-to-2.0 1.0.0"));
  BOOST_TEST(mentions(text.out, "global root     " + roots_before.global_root));
  BOOST_TEST(mentions(text.out, "copy 40 artifacts"));
  BOOST_TEST(mentions(text.out, "lock: ACCESS EXCLUSIVE"));
  BOOST_TEST(mentions(text.out, "Nothing was changed."));
  // The test cluster is an external server to stella: its disk is out of reach.
  BOOST_TEST(mentions(text.out, "evidence size   "));
  BOOST_TEST(mentions(text.out, "free space      not known here (an external server"));

  const std::filesystem::path directory =
      std::filesystem::temp_directory_path() / ("stella-dry-run-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const std::string plan_path = (directory / "plan.json").string();
  const auto json =
      store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--format", "json", "--output", plan_path}));
  const rapidjson::Document plan = valid_json(json.out, "migration-plan.schema.json");
  BOOST_TEST(std::string(plan["fromVersion"].GetString()) == "1.0");
  BOOST_TEST(std::string(plan["toVersion"].GetString()) == "2.0");
  BOOST_TEST(std::string(plan["store"]["schemaVersion"].GetString()) == "1.0");
  BOOST_TEST(std::string(plan["store"]["globalRoot"].GetString()) == roots_before.global_root);
  BOOST_TEST(plan["store"]["tenants"].Size() == roots_before.tenants.size());
  for (const auto& tenant : plan["store"]["tenants"].GetArray()) {
    BOOST_TEST(roots_before.tenants.at(tenant["tenant"].GetString()) ==
               std::string(tenant["root"].GetString()));
  }
  BOOST_TEST(plan["space"]["evidenceBytes"].GetInt64() >
             std::stoll(store.scalar("SELECT pg_total_relation_size('evidence.artifacts')")));
  BOOST_TEST(plan["space"]["freeBytes"].IsNull());
  BOOST_REQUIRE(plan["steps"].Size() == 2U);
  const char* const expected_ids[] = {"schema-1.0-to-1.1", "schema-1.1-to-2.0"};
  for (rapidjson::SizeType i = 0; i < plan["steps"].Size(); ++i) {
    const auto& step = plan["steps"][i];
    BOOST_TEST(std::string(step["pluginId"].GetString()) == expected_ids[i]);
    BOOST_TEST(std::string(step["libraryDigest"].GetString()) ==
               file_sha256(plugin_library(expected_ids[i])));
    BOOST_TEST(step["actions"].Size() > 0U);
    for (const auto& action : step["actions"].GetArray()) {
      BOOST_TEST(action["rowsAffected"].GetInt64() >= 0);
      BOOST_TEST(action["estimatedSeconds"].GetDouble() >= 0);
      BOOST_TEST(action["locks"].Size() > 0U);
    }
  }
  BOOST_TEST(plan["steps"][0]["actions"][1]["batched"].GetBool());
  BOOST_TEST(plan["steps"][0]["actions"][1]["rowsAffected"].GetInt64() == 40);

  std::ifstream file(plan_path);
  std::stringstream written;
  written << file.rdbuf();
  valid_json(written.str(), "migration-plan.schema.json");
  std::filesystem::remove_all(directory);

  BOOST_TEST(store.evidence_rows_digest() == rows_before);
  BOOST_TEST(store.state_rows_digest() == state_before);
  BOOST_TEST(store.catalog() == catalog_before);
  const ExportedRoots roots_after = store.roots();
  BOOST_TEST(roots_after.global_root == roots_before.global_root);
  BOOST_TEST(roots_after.tenants == roots_before.tenants);
  BOOST_TEST(store.schema_version() == "1.0");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
