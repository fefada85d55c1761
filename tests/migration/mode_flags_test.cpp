// Each migrate mode takes its own flags; a flag that a mode would not use is a usage error (exit
// 2) naming the flag and the mode, never accepted and ignored: an operator who asks `--status` for
// a file or `--resume` for a reason must not believe they got one.
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>

#include "migration/migration_fixture.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(mode_flags)

BOOST_AUTO_TEST_CASE(flags_a_mode_does_not_use_are_refused_naming_flag_and_mode) {
  MigrationStore store("mig_modeflags");
  store.init_and_seed();
  const std::string state = store.state_rows_digest();
  const std::filesystem::path output =
      std::filesystem::temp_directory_path() / ("stella-modeflags-" + std::to_string(::getpid()));

  const std::vector<std::pair<std::vector<std::string>, std::string>> refused = {
      {{"--status", "--output", output.string()}, "--output has no meaning with --status"},
      {{"--logs", "--output", output.string()}, "--output has no meaning with --logs"},
      {{"--status", "--reason", "why"}, "--reason has no meaning with --status"},
      {{"--status", "--from-version", "1.0"}, "--from-version has no meaning with --status"},
      {{"--logs", "--batch-size", "5"}, "--batch-size has no meaning with --logs"},
      {{"--resume", "--reason", "why"}, "--reason has no meaning with --resume"},
      {{"--resume", "--from-version", "1.0"}, "--from-version has no meaning with --resume"},
      {{"--resume", "--to-version", "2.0"}, "--to-version has no meaning with --resume"},
      {{"--resume", "--output", output.string()}, "--output has no meaning with --resume"},
      {{"--from-version", "1.0", "--to-version", "2.0", "--dry-run", "--reason", "why"},
       "--reason has no meaning with --dry-run"},
      {{"--from-version", "1.0", "--to-version", "2.0", "--reason", "why"},
       "--reason has no meaning with a migration"},
      {{"--from-version", "1.0", "--to-version", "2.0", "--output", output.string()},
       "--output has no meaning with a migration (use it with --dry-run)"},
      {{"--rollback", "--from-version", "2.0", "--output", output.string()},
       "--output has no meaning with --rollback"},
      {{"--rollback", "--from-version", "2.0", "--run", "1"},
       "--run has no meaning with anything but --status and --logs"},
  };
  for (const auto& [flags, said] : refused) {
    std::vector<std::string> args = {"evidence", "migrate"};
    args.insert(args.end(), flags.begin(), flags.end());
    const ProcessResult result = store.expect(2, args);
    BOOST_TEST(mentions(result.err, said), result.err);
  }
  BOOST_TEST(!std::filesystem::exists(output));
  BOOST_TEST(store.schema_version() == "1.0");
  BOOST_TEST(store.state_rows_digest() == state);

  // The flags each mode does take still work.
  store.expect(0, {"evidence", "migrate", "--status"});
  store.expect(0, {"evidence", "migrate", "--resume", "--batch-size", "5"});
  store.expect(0, migrate_1_0_to_2_0({"--dry-run", "--batch-size", "5"}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
