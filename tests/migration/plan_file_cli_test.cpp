// Plan files: `--dry-run --output F` then `--plan F` executes exactly that plan; a plan made
// against another store state, or with other plugin code, is refused before anything changes.
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "migration/migration_fixture.hpp"

namespace stella::test {
namespace {

class PlanDirectory {
 public:
  PlanDirectory()
      : path_(std::filesystem::temp_directory_path() /
              ("stella-plan-" + std::to_string(::getpid()) + "-" + std::to_string(++count_))) {
    std::filesystem::create_directories(path_);
  }
  ~PlanDirectory() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  static inline int count_ = 0;
  std::filesystem::path path_;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream(path) << text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(plan_files)

BOOST_AUTO_TEST_CASE(a_saved_plan_executes_exactly) {
  MigrationStore store("mig_plan");
  store.init_and_seed();
  const PlanDirectory directory;
  const std::string plan = directory.file("plan.json");
  const ExportedRoots before = store.roots();
  store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--output", plan, "--batch-size", "3"}));
  valid_json(read_text(plan), "migration-plan.schema.json");

  store.expect(0, {"evidence", "migrate", "--plan", plan});
  BOOST_TEST(store.schema_version() == "2.0");
  BOOST_TEST(store.roots().global_root == before.global_root);
  // The run used the plan's batch size and recorded the plan it ran.
  BOOST_TEST(store.scalar("SELECT batch_size FROM stella.migration_runs ORDER BY run_id DESC "
                          "LIMIT 1") == "3");
  BOOST_TEST(
      store.scalar("SELECT plan ->> 'createdAt' FROM stella.migration_runs ORDER BY run_id "
                   "DESC LIMIT 1") ==
      std::string(
          valid_json(read_text(plan), "migration-plan.schema.json")["createdAt"].GetString()));
  store.expect(0, {"evidence", "verify-all"});

  // The same plan again: the store is no longer at the plan's version.
  BOOST_TEST(mentions(store.expect(3, {"evidence", "migrate", "--plan", plan}).err,
                      "the store is at schema 2.0, not 1.0 as the plan says"));
}

BOOST_AUTO_TEST_CASE(a_plan_is_refused_when_the_store_changed) {
  MigrationStore store("mig_planstore");
  store.init_and_seed();
  const PlanDirectory directory;
  const std::string plan = directory.file("plan.json");
  store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--output", plan}));
  store.expect(0, {"evidence", "seed", "--tenants", "1", "--bundles", "1", "--seed", "99",
                   "--since", "2026-01-01"});
  const std::string rows = store.evidence_rows_digest();
  const auto refused = store.expect(3, {"evidence", "migrate", "--plan", plan});
  BOOST_TEST(mentions(refused.err, "the store changed since the plan was made at"));
  BOOST_TEST(mentions(refused.err, "global root: expected sha256:"));
  BOOST_TEST(mentions(refused.err, "tenant acme root: expected sha256:"));
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows);
}

BOOST_AUTO_TEST_CASE(a_plan_is_refused_when_a_plugin_changed) {
  MigrationStore store("mig_planplugin");
  store.init_and_seed();
  const PlanDirectory directory;
  const std::string plan = directory.file("plan.json");
  store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--output", plan}));
  std::string text = read_text(plan);
  const std::string real_digest = file_sha256(plugin_library("schema-1.1-to-2.0"));
  const std::size_t at = text.find(real_digest);
  BOOST_REQUIRE(at != std::string::npos);
  const std::string other_digest = "sha256:" + std::string(64, 'a');
  text.replace(at, real_digest.size(), other_digest);
  write_text(plan, text);
  const std::string rows = store.evidence_rows_digest();
  const auto refused = store.expect(3, {"evidence", "migrate", "--plan", plan});
  BOOST_TEST(mentions(refused.err, "plugin schema-1.1-to-2.0 changed since the plan made at"));
  BOOST_TEST(mentions(refused.err, other_digest));
  BOOST_TEST(mentions(refused.err, real_digest));
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows);
}

BOOST_AUTO_TEST_CASE(bad_plan_files_are_bad_input) {
  MigrationStore store("mig_planbad");
  store.init_and_seed();
  const PlanDirectory directory;
  const std::string plan = directory.file("plan.json");
  write_text(plan, "{\"format\": \"stella-migration-plan\"}");
  const auto refused = store.expect(2, {"evidence", "migrate", "--plan", plan});
  BOOST_TEST(mentions(refused.err, plan));
  BOOST_TEST(mentions(refused.err, "migration-plan.schema.json"));
  BOOST_TEST(
      mentions(store.expect(2, {"evidence", "migrate", "--plan", directory.file("none.json")}).err,
               "none.json"));

  store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--output", plan}));
  BOOST_TEST(
      mentions(store.expect(2, {"evidence", "migrate", "--plan", plan, "--batch-size", "5"}).err,
               "--batch-size has no meaning with --plan"));
  BOOST_TEST(
      mentions(store.expect(2, {"evidence", "migrate", "--plan", plan, "--to-version", "3.0"}).err,
               "--to-version is 3.0, but the plan says 2.0"));
  BOOST_TEST(store.schema_version() == "1.0");
}

// Numbers JSON can hold but the plan's fields cannot: a batch size past 64 bits once reached the
// database as -1 (a check-constraint error in stella's own run table); a step ordinal past 32 bits
// would have been cut to another step's.
BOOST_AUTO_TEST_CASE(numbers_out_of_range_in_a_plan_are_bad_input) {
  MigrationStore store("mig_planrange");
  store.init_and_seed();
  const PlanDirectory directory;
  const std::string plan = directory.file("plan.json");
  store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--output", plan}));
  const std::string text = read_text(plan);
  const std::string rows = store.evidence_rows_digest();
  const std::vector<std::pair<std::string, std::string>> edits{
      {"\"batchSize\": 10000", "\"batchSize\": 18446744073709551615"},
      {"\"ordinal\": 1,", "\"ordinal\": 4294967297,"},
  };
  for (const auto& [from, to] : edits) {
    BOOST_TEST_CONTEXT(to) {
      std::string edited = text;
      const std::size_t at = edited.find(from);
      BOOST_REQUIRE(at != std::string::npos);
      edited.replace(at, from.size(), to);
      const std::string edited_plan = directory.file("edited.json");
      write_text(edited_plan, edited);
      const auto refused = store.expect(2, {"evidence", "migrate", "--plan", edited_plan});
      BOOST_TEST(mentions(refused.err, "does not match schemas/migration-plan.schema.json"));
      BOOST_TEST(mentions(refused.err, "expected at most"));
    }
  }
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.evidence_rows_digest() == rows);
  BOOST_TEST(mentions(store.expect(0, {"evidence", "migrate", "--status"}).out,
                      "No migration has run on this store."));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
