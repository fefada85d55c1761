// Plan files: JSON that matches its schema, reads back to the same plan, and is refused when it
// is malformed or its steps do not chain.
#include <boost/test/unit_test.hpp>

#include "stella/host/json/json_schema.hpp"
#include "stella/host/migration/plan_file.hpp"
#include "stella/sdk/error.hpp"

namespace host = stella::host;
namespace sdk = stella::sdk;

namespace {

constexpr const char* kRoot =
    "sha256:4a5b2c1e0f7d9c8b6a5e4d3c2b1a0f9e8d7c6b5a4e3d2c1b0a9f8e7d6c5b4a39";
constexpr const char* kDigest =
    "sha256:0000000000000000000000000000000000000000000000000000000000000001";

host::MigrationPlan sample_plan() {
  host::MigrationPlan plan;
  plan.created_at = "2026-03-01T10:00:00.000000Z";
  plan.created_by = "alice";
  plan.stella_version = "0.1.0";
  plan.from_version = "1.0";
  plan.to_version = "2.0";
  plan.batch_size = 500;
  plan.store.database = "stellaops";
  plan.store.schema_version = "1.0";
  plan.store.generation = 1;
  plan.store.algorithm = "sha256";
  plan.store.global_root = kRoot;
  plan.store.stored_global_root = kRoot;
  plan.store.tenant_count = 1;
  plan.store.bundle_count = 3;
  plan.store.artifact_count = 12;
  plan.store.tenants = {{"acme", kRoot}};
  plan.store.captured_at = "2026-03-01T10:00:00.000000Z";
  const std::pair<const char*, const char*> edges[] = {{"1.0", "1.1"}, {"1.1", "2.0"}};
  int ordinal = 0;
  for (const auto& [from, to] : edges) {
    host::PlannedStep step;
    step.ordinal = ++ordinal;
    step.plugin_id = std::string("schema-") + from + "-to-" + to;
    step.plugin_version = "1.0.0";
    step.library_digest = kDigest;
    step.library_file = "/opt/stella/lib/stella/plugins/" + step.plugin_id + "/lib.so";
    step.from_version = from;
    step.to_version = to;
    step.capabilities = {"batched", "resumable", "reversible"};
    sdk::PlannedAction action;
    action.description = "copy artifacts";
    action.statements = {"SELECT 1", "SELECT 2\nFROM somewhere"};
    action.rows_affected = 12;
    action.locks = {"ROW EXCLUSIVE on evidence.contents"};
    action.batched = true;
    action.estimated_seconds = 0.25;
    step.actions.push_back(action);
    plan.steps.push_back(step);
  }
  return plan;
}

bool invalid_input(const sdk::Error& e) {
  return e.code() == sdk::ErrorCode::invalid_input;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plan_file)

BOOST_AUTO_TEST_CASE(json_matches_its_schema_and_reads_back) {
  const host::MigrationPlan plan = sample_plan();
  const rapidjson::Document document = host::plan_to_json(plan);
  BOOST_TEST(host::schema_violations(document, host::kMigrationPlanSchema).empty());
  const std::string text = host::plan_to_json_text(plan);
  const host::MigrationPlan back = host::plan_from_json_text(text, "sample");
  BOOST_TEST(host::plan_to_json_text(back) == text);
  BOOST_TEST(back.steps.size() == 2U);
  BOOST_TEST(back.steps[1].actions[0].statements[1] == "SELECT 2\nFROM somewhere");
  BOOST_TEST(back.store.tenants[0].tenant == "acme");
  BOOST_TEST(back.estimated_seconds() == 0.5);
}

BOOST_AUTO_TEST_CASE(steps_that_do_not_chain_are_refused) {
  host::MigrationPlan plan = sample_plan();
  plan.steps[1].from_version = "1.2";
  BOOST_CHECK_EXCEPTION(host::plan_from_json_text(host::plan_to_json_text(plan), "broken"),
                        sdk::Error, invalid_input);
  plan = sample_plan();
  plan.to_version = "3.0";
  BOOST_CHECK_EXCEPTION(host::plan_from_json_text(host::plan_to_json_text(plan), "short"),
                        sdk::Error, invalid_input);
}

BOOST_AUTO_TEST_CASE(schema_violations_name_the_file) {
  std::string text = host::plan_to_json_text(sample_plan());
  text.replace(text.find("\"libraryDigest\""), std::string("\"libraryDigest\"").size(),
               "\"libraryDigestX\"");
  BOOST_CHECK_EXCEPTION(
      host::plan_from_json_text(text, "edited-plan.json"), sdk::Error, [](const sdk::Error& e) {
        return e.code() == sdk::ErrorCode::invalid_input &&
               std::string(e.what()).find("edited-plan.json") != std::string::npos;
      });
  BOOST_CHECK_EXCEPTION(host::plan_from_json_text("{\"format\": ", "truncated"), sdk::Error,
                        invalid_input);
}

BOOST_AUTO_TEST_SUITE_END()
