// The runbook's (../shared/seeds/evidence-migration-guide.md) "Create Evidence Backup", "Restore
// from Backup" and "Air-Gap Migration" snippets, taken from the runbook file itself and run by
// /bin/sh as written, with the built `stella` first on PATH. What is substituted, and why:
//   - "/backup/" and "/media/" become directories under a scratch directory (the test must not
//     write to the machine's /backup or /media);
//   - the two `kubectl scale` lines of "Restore from Backup" are left out (there is no cluster);
//   - which database a snippet talks to comes from the environment, not from the snippet: the
//     source store through STELLA_DATABASE; the restore target is a second, private embedded
//     cluster (STELLA_HOME) whose default database is "stellaops" — exactly the name the snippet's
//     `pg_restore -d stellaops` uses — with PGHOST/PGPORT/PGUSER from `stella db env`;
//   - /backup/stellaops-backup.dump, which the runbook assumes exists, is made before the restore
//     with `pg_dump -Fc -n evidence` of the source store.
// Note on `pg_restore --table='evidence.*'`: pg_restore's --table takes a plain table name (no
// pattern, no schema), so that step restores nothing and exits 0; `stella evidence import` then
// creates the store and restores everything from the export, which is what the test checks.
#include <sys/stat.h>

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <sstream>

#include "bundles/bundle_test_support.hpp"

namespace stella::test {
namespace {

std::string runbook_text() {
  const fs::path path = fs::path(required_env("STELLA_SOURCE_DIR")) / ".." / "shared" / "seeds" /
                        "evidence-migration-guide.md";
  std::ifstream in(path);
  BOOST_REQUIRE_MESSAGE(in, "cannot read the runbook at " << path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

/// The first ```bash block after the heading line `heading`, without its fences.
std::string snippet_under(const std::string& heading) {
  const std::string text = runbook_text();
  const std::size_t at = text.find("\n" + heading + "\n");
  BOOST_REQUIRE_MESSAGE(at != std::string::npos, "the runbook has no heading '" << heading << "'");
  const std::string fence = "```bash\n";
  const std::size_t start = text.find(fence, at);
  BOOST_REQUIRE(start != std::string::npos);
  const std::size_t end = text.find("\n```", start + fence.size());
  BOOST_REQUIRE(end != std::string::npos);
  return text.substr(start + fence.size(), end - start - fence.size() + 1);
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
  for (std::size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

/// The snippet with /backup/ and /media/ moved under `root` and the kubectl lines left out.
std::string adapted(const std::string& heading, const fs::path& root) {
  std::istringstream lines(snippet_under(heading));
  std::string line;
  std::string script;
  while (std::getline(lines, line)) {
    if (line.rfind("kubectl ", 0) == 0) {
      continue;
    }
    script += line + "\n";
  }
  script = replaced(script, "/backup/", (root / "backup").string() + "/");
  return replaced(script, "/media/", (root / "media").string() + "/");
}

std::map<std::string, std::string> shell_environment(std::map<std::string, std::string> extra) {
  const std::string bin = fs::path(required_env("STELLA_BINARY")).parent_path();
  const char* path = std::getenv("PATH");
  extra["PATH"] = bin + ":" + (path != nullptr ? path : "/usr/bin:/bin");
  return extra;
}

/// Runs `script` under `set -e` (any failing command fails it); fails the test when it fails.
ProcessResult run_script(const std::string& what, const std::string& script,
                         const std::map<std::string, std::string>& environment) {
  const ProcessResult result = run_shell("set -e\n" + script, shell_environment(environment));
  BOOST_REQUIRE_MESSAGE(result.exit_code == 0, what << " exited " << result.exit_code << "\n"
                                                    << script << "\nstdout:\n"
                                                    << result.out << "\nstderr:\n"
                                                    << result.err);
  return result;
}

/// The global root `stella evidence roots-export` reports in `environment`.
std::string global_root(const std::map<std::string, std::string>& environment) {
  const ProcessResult roots =
      run_script("roots-export",
                 "stella evidence roots-export --format json | jq -r '.globalRoot'\n", environment);
  return roots.out;
}

/// A private embedded cluster for the restore side, started; removed with the scratch dir.
struct RestoreCluster {
  fs::path home;
  std::map<std::string, std::string> environment;
  explicit RestoreCluster(const fs::path& root) : home(root / "restore-home") {
    // The server runs as an unprivileged user when the tests run as root: it must reach its home.
    ::chmod(root.c_str(), 0755);
    fs::create_directories(home);
    ::chmod(home.c_str(), 0755);
    environment = {{"STELLA_HOME", home.string()}};
    run_script("stella db start", "stella db start\n", environment);
  }
  ~RestoreCluster() { run_shell("stella db stop", shell_environment(environment)); }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(runbook)

BOOST_AUTO_TEST_CASE(create_backup_restore_from_backup_and_air_gap_migration_as_written) {
  BundleStore source("bundles_runbook_source");
  source.init_and_seed("31");
  ScratchDir scratch;
  const fs::path root = scratch.path();
  const std::map<std::string, std::string> source_env = {{"STELLA_DATABASE", source.conninfo()}};
  const std::string source_root = global_root(source_env);

  // "Create Evidence Backup": export --all --include-attestations --include-proofs into
  // /backup/evidence-$(date +%Y%m%d)/, then verify-bundle /backup/evidence-*/.
  const ProcessResult backup = run_script(
      "Create Evidence Backup", adapted("### 2. Create Evidence Backup", root), source_env);
  BOOST_CHECK(mentions(backup.out, ": OK (bundle-dir)"));
  // The database dump "Restore from Backup" restores from.
  run_script("pg_dump",
             "eval \"$(stella db env)\"\npg_dump -Fc -n evidence -f " +
                 (root / "backup" / "stellaops-backup.dump").string() + "\n",
             source_env);

  {
    RestoreCluster cluster(root);
    std::string restore = "eval \"$(stella db env)\"\n" + adapted("### Restore from Backup", root);
    const ProcessResult restored = run_script("Restore from Backup", restore, cluster.environment);
    BOOST_CHECK(mentions(restored.out, "created an evidence store at schema 1.0"));
    BOOST_CHECK(mentions(restored.out, "imported 12 bundles"));
    BOOST_CHECK(mentions(restored.out, "verify-all: PASS"));
    BOOST_CHECK_EQUAL(global_root(cluster.environment), source_root);

    // Run again, the restore changes nothing and says so.
    const ProcessResult again =
        run_script("Restore from Backup, again", restore, cluster.environment);
    BOOST_CHECK(mentions(again.out, "nothing to import: 12 bundles already present and identical"));

    // "Air-Gap Migration", export phase on the source, import phase into a second, empty database
    // of the restore cluster.
    run_script("Air-Gap export phase", adapted("### Export Phase (Online Environment)", root),
               source_env);
    BOOST_CHECK(fs::exists(root / "media" / "checksums.txt"));
    run_script("createdb", "eval \"$(stella db env)\"\ncreatedb airgap\n", cluster.environment);
    const ProcessResult url =
        run_script("db url", "eval \"$(stella db env)\"\nstella db url\n", cluster.environment);
    std::map<std::string, std::string> airgap_env = cluster.environment;
    airgap_env["STELLA_DATABASE"] =
        replaced(url.out.substr(0, url.out.size() - 1), "dbname=stellaops", "dbname=airgap");
    BOOST_REQUIRE(mentions(airgap_env["STELLA_DATABASE"], "dbname=airgap"));
    const ProcessResult imported =
        run_script("Air-Gap import phase", adapted("### Import Phase (Air-Gap Environment)", root),
                   airgap_env);
    BOOST_CHECK(mentions(imported.out, "airgap-evidence.tar.gz: OK"));
    BOOST_CHECK(mentions(imported.out, "imported 12 bundles"));
    BOOST_CHECK(mentions(imported.out, "verify-all: PASS"));
    BOOST_CHECK_EQUAL(global_root(airgap_env), source_root);
  }
}

BOOST_AUTO_TEST_CASE(a_pg_restore_of_the_whole_schema_then_import_adds_nothing) {
  // The restore done by pg_restore of the whole dump (what the runbook's --table means to do; the
  // dump holds only the evidence schema): the store comes back from the dump, and importing the
  // backup on top of it finds every bundle already present and identical.
  BundleStore source("bundles_runbook_pgrestore");
  source.init_and_seed("37");
  ScratchDir scratch;
  const fs::path root = scratch.path();
  const std::map<std::string, std::string> source_env = {{"STELLA_DATABASE", source.conninfo()}};
  run_script("Create Evidence Backup", adapted("### 2. Create Evidence Backup", root), source_env);
  const fs::path dump = root / "backup" / "stellaops-backup.dump";
  run_script("pg_dump",
             "eval \"$(stella db env)\"\npg_dump -Fc -n evidence -f " + dump.string() + "\n",
             source_env);
  BundleStore target("bundles_runbook_pgrestore_target");
  run_script(
      "pg_restore",
      "eval \"$(stella db env)\"\npg_restore --no-owner -d \"$PGDATABASE\" " + dump.string() + "\n",
      {{"STELLA_DATABASE", target.conninfo()}});
  const ProcessResult imported = run_script(
      "import", "stella evidence import " + (root / "backup").string() + "/evidence-*/\n",
      {{"STELLA_DATABASE", target.conninfo()}});
  BOOST_CHECK(
      mentions(imported.out, "nothing to import: 12 bundles already present and identical"));
  const ProcessResult verified = run_script("verify-all", "stella evidence verify-all\n",
                                            {{"STELLA_DATABASE", target.conninfo()}});
  BOOST_CHECK(mentions(verified.out, "verify-all: PASS"));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
