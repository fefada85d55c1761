// A store that was migrated to 2.0 and reindexed to sha512 exports its active (sha512) generation.
// Imported into an empty database, the new store loads the evidence with its load generation's
// digests, is then reindexed to sha512, and ends with exactly the exported roots; verify-all passes
// and a second import adds nothing. Into a reindexed store with evidence of its own, new evidence
// is refused (it would be missing from the active generation).
#include <boost/test/unit_test.hpp>

#include "bundles/bundle_test_support.hpp"

namespace stella::test {

BOOST_AUTO_TEST_SUITE(reindexed_store)

BOOST_AUTO_TEST_CASE(an_export_of_a_reindexed_store_imports_with_its_sha512_roots) {
  BundleStore source("bundles_reindexed_source");
  source.init_and_seed("41");
  // The same evidence in sha256, before the reindex, to import into the sha512 store at the end.
  ScratchDir sha256_export;
  export_to(source, sha256_export.path() / "sha256", {"--all"});
  for (const std::vector<std::string>& step :
       {std::vector<std::string>{"evidence", "migrate", "--from-version", "1.0", "--to-version",
                                 "2.0"},
        std::vector<std::string>{"evidence", "config", "set", "hash-algorithm", "sha512"},
        std::vector<std::string>{"evidence", "reindex", "--batch-size", "10"}}) {
    const ProcessResult result = source.stella(step);
    BOOST_REQUIRE_MESSAGE(result.exit_code == 0, step[1] << ": " << result.err);
  }
  const std::string exported_root = source.roots()["globalRoot"].GetString();
  BOOST_REQUIRE(exported_root.rfind("sha512:", 0) == 0);

  ScratchDir dir;
  const fs::path archive = dir.path() / "reindexed.tar.gz";
  export_to(source, archive, {"--all", "--portable"});
  const ProcessResult verified = run_stella({"evidence", "verify-bundle", archive.string()});
  BOOST_CHECK_MESSAGE(verified.exit_code == 0, verified.out << verified.err);

  BundleStore target("bundles_reindexed_target");
  const ProcessResult imported =
      target.stella({"evidence", "import", "--format", "json", "--portable", archive.string()});
  BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  const auto summary = valid_json(imported.out, "import-summary.schema.json");
  BOOST_CHECK_EQUAL(summary["schemaVersion"].GetString(), std::string("2.0"));
  BOOST_CHECK_EQUAL(summary["reindexedTo"].GetString(), std::string("sha512"));
  BOOST_CHECK(summary["rootsEqualDeclared"].GetBool());
  BOOST_CHECK_EQUAL(target.roots()["globalRoot"].GetString(), exported_root);
  // The restored store has the source's algorithm as its target, so a plain reindex is at home.
  BOOST_CHECK_EQUAL(target.stella({"evidence", "config", "get", "hash-algorithm"}).out, "sha512\n");
  BOOST_CHECK(mentions(target.stella({"evidence", "reindex"}).out, "store already at sha512"));
  // The import's record, written before the reindex, compared the roots it could (the source's
  // recomputed in sha256) and says the reindex follows: it does not read as a failed import.
  BOOST_CHECK_EQUAL(target.scalar("SELECT (data->>'roots_equal_declared') || ' ' || "
                                  "(data->>'roots_compared_in') || ' ' || (data->>'reindex_to') "
                                  "FROM stella.audit_events WHERE event_type = 'import'"),
                    "true sha256 sha512");
  const ProcessResult listed = target.stella({"evidence", "audit", "list", "--type", "import"});
  BOOST_CHECK_MESSAGE(mentions(listed.out, "then reindexed to sha512"), listed.out);
  const ProcessResult verify_all = target.stella({"evidence", "verify-all"});
  BOOST_CHECK_MESSAGE(verify_all.exit_code == 0, verify_all.out << verify_all.err);

  const ProcessResult again = target.stella({"evidence", "import", "--portable", archive.string()});
  BOOST_CHECK_EQUAL(again.exit_code, 0);
  BOOST_CHECK(mentions(again.out, "nothing to import: 12 bundles already present and identical"));

  // The same bundles from a sha256 export: nothing new, and the roots are not called different
  // evidence because they are of another algorithm.
  const ProcessResult same =
      target.stella({"evidence", "import", (sha256_export.path() / "sha256").string()});
  BOOST_CHECK_EQUAL(same.exit_code, 0);
  BOOST_CHECK_MESSAGE(mentions(same.out, "nothing to import: 12 bundles already present"),
                      same.out);
  BOOST_CHECK_MESSAGE(mentions(same.out, "the source's roots are sha256, so they cannot be equal"),
                      same.out);
  BOOST_CHECK_MESSAGE(!mentions(same.out, "the store holds more than the source"), same.out);

  // New evidence for a reindexed store (a restore of bundles it lost, say) is loaded and gets its
  // digests and roots in every sealed generation: the active sha512 one and the sha256 one.
  ScratchDir other;
  export_to(shared_source_store(), other.path() / "sha256-evidence", {"--all"});
  const ProcessResult added =
      target.stella({"evidence", "import", (other.path() / "sha256-evidence").string()});
  BOOST_CHECK_MESSAGE(added.exit_code == 0, added.out << added.err);
  BOOST_CHECK(mentions(added.out, "imported 12 bundles"));
  const std::string active_root = target.roots()["globalRoot"].GetString();
  BOOST_CHECK(active_root.rfind("sha512:", 0) == 0);
  BOOST_CHECK(active_root != exported_root);
  for (const char* generation : {"1", "2"}) {
    const ProcessResult verified =
        target.stella({"evidence", "verify-all", "--generation", generation});
    BOOST_CHECK_MESSAGE(verified.exit_code == 0,
                        "generation " << generation << ": " << verified.out << verified.err);
  }
  const ProcessResult deep = target.stella({"evidence", "integrity-check", "--deep"});
  BOOST_CHECK_MESSAGE(deep.exit_code == 0, deep.out << deep.err);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
