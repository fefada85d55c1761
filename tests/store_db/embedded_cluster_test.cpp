// The embedded cluster's life cycle on a fresh home of its own: two concurrent first starts,
// status, idempotent start and stop, data kept across restarts, a stale postmaster.pid, a server
// killed and not yet reaped, a migration plan with the server's free space, a failed start quoting
// the server log. initdb runs once for the whole file.
#define BOOST_TEST_MODULE store_db_cluster
#include <boost/test/unit_test.hpp>

#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/local_process.hpp"
#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"
#include "store_db/error_code_printing.hpp"
#include "support/run_cli_process.hpp"

namespace fs = std::filesystem;
using stella::host::ClusterStatus;
using stella::host::EmbeddedCluster;
using stella::host::PgConnection;
using stella::host::StartOutcome;
using stella::sdk::Error;
using stella::sdk::ErrorCode;

namespace {

/// Long enough that <home>/pg/run/.s.PGSQL.5432 exceeds the unix socket path limit, so the
/// cluster must fall back to its short directory under /tmp.
const std::string kLongDirectoryName =
    "a-state-directory-whose-path-is-longer-than-a-unix-socket-path-may-be-so-the-socket-moves";
constexpr std::size_t kMaxSocketPathLength = sizeof(sockaddr_un::sun_path) - 1;

std::string read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const fs::path& file, const std::string& text) {
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  out << text;
}

uid_t owner_of(const fs::path& path) {
  struct stat info {};
  BOOST_REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_uid;
}

mode_t permission_bits(const fs::path& path) {
  struct stat info {};
  BOOST_REQUIRE(::stat(path.c_str(), &info) == 0);
  return info.st_mode & 07777;
}

/// Whether `pid` becomes a zombie (killed, not yet reaped) within ten seconds.
bool eventually_a_zombie(int pid) {
  for (int attempt = 0; attempt < 1000; ++attempt) {
    if (stella::host::process_is_zombie(pid)) {
      return true;
    }
    ::usleep(10'000);
  }
  return false;
}

struct ClusterHome {
  fs::path root;
  fs::path home;
  ClusterHome() {
    root = fs::path(stella::test::required_env("STELLA_BUILD_DIR")) / "store-db-cluster-home";
    home = root / kLongDirectoryName;
    EmbeddedCluster(home).stop();  // a previous run that died half-way
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~ClusterHome() {
    try {
      EmbeddedCluster cluster(home);
      const fs::path socket_directory = cluster.status().socket_directory;
      cluster.stop();
      fs::remove_all(root);
      fs::remove_all(socket_directory);
    } catch (const std::exception& e) {
      BOOST_TEST_MESSAGE("cleanup of " << root << " failed: " << e.what());
    }
  }
};

ClusterHome* shared_home = nullptr;

struct SharedHomeFixture {
  ClusterHome owned;
  SharedHomeFixture() { shared_home = &owned; }
  ~SharedHomeFixture() { shared_home = nullptr; }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(SharedHomeFixture);

BOOST_AUTO_TEST_CASE(never_started_home_is_reported_without_creating_anything) {
  const fs::path fresh = shared_home->root / "never-started";
  EmbeddedCluster cluster(fresh);
  const ClusterStatus status = cluster.status();
  BOOST_TEST(!status.initialized);
  BOOST_TEST(!status.running);
  BOOST_TEST(!status.pid.has_value());
  BOOST_TEST(status.data_directory == fresh / "pg" / "data");
  BOOST_TEST(cluster.conninfo() ==
             "host=" + (fresh / "pg" / "run").string() + " port=5432 dbname=stellaops user=stella");
  BOOST_TEST(cluster.conninfo("other") ==
             "host=" + (fresh / "pg" / "run").string() + " port=5432 dbname=other user=stella");
  BOOST_CHECK_NO_THROW(cluster.stop());
  BOOST_TEST(!fs::exists(fresh));
}

BOOST_AUTO_TEST_CASE(two_concurrent_first_starts_make_one_cluster) {
  const fs::path home = shared_home->home;
  BOOST_REQUIRE((home / "pg" / "run" / ".s.PGSQL.5432").string().size() > kMaxSocketPathLength);
  const std::string script =
      "\"$STELLA_BINARY\" db start --home \"$H\" >\"$R/first.log\" 2>&1 & first=$!\n"
      "\"$STELLA_BINARY\" db start --home \"$H\" >\"$R/second.log\" 2>&1 & second=$!\n"
      "wait $first; a=$?; wait $second; b=$?; echo \"$a $b\"\n";
  const auto result =
      stella::test::run_shell(script, {{"H", home.string()}, {"R", shared_home->root.string()}});
  const std::string first = read_text(shared_home->root / "first.log");
  const std::string second = read_text(shared_home->root / "second.log");
  BOOST_TEST(result.out == "0 0\n", first << second);
  const auto created = [](const std::string& log) {
    return log.find("created and started") != std::string::npos;
  };
  const auto reused = [](const std::string& log) {
    return log.find("already running") != std::string::npos;
  };
  // One of them ran initdb; the other waited on the lock and found the server up.
  BOOST_TEST(((created(first) && reused(second)) || (created(second) && reused(first))),
             first << second);
}

BOOST_AUTO_TEST_CASE(status_describes_the_running_cluster) {
  EmbeddedCluster cluster(shared_home->home);
  const ClusterStatus status = cluster.status();
  BOOST_TEST(status.initialized);
  BOOST_TEST(status.running);
  BOOST_REQUIRE(status.pid.has_value());
  BOOST_TEST(*status.pid > 0);
  BOOST_TEST(!status.server_version.empty());
  BOOST_TEST(status.port == 5432);
  BOOST_TEST(status.log_file == shared_home->home / "pg" / "server.log");
  // The long home put the socket in the short directory, recorded for later calls.
  BOOST_TEST(status.socket_directory.string().rfind("/tmp/stella-pg-", 0) == 0,
             status.socket_directory);
  BOOST_TEST(fs::exists(status.socket_directory / ".s.PGSQL.5432"));
  BOOST_TEST(
      read_text(shared_home->home / "pg" / "cluster.json").find(status.socket_directory.string()) !=
      std::string::npos);
  BOOST_TEST(cluster.conninfo().find("host=" + status.socket_directory.string() + " ") == 0);
  BOOST_TEST(permission_bits(status.socket_directory) == 0700);
  BOOST_TEST(permission_bits(shared_home->home / "pg") == 0700);
  BOOST_TEST(owner_of(status.socket_directory) == owner_of(status.data_directory));
  BOOST_TEST(owner_of(shared_home->home / "pg") == owner_of(status.data_directory));
  if (::geteuid() == 0) {
    BOOST_TEST(owner_of(status.data_directory) != 0u, "the server must not run as root");
    BOOST_TEST(status.server_user != "root");
  }
}

BOOST_AUTO_TEST_CASE(server_listens_on_its_socket_only_with_the_stellaops_database) {
  const auto connection = PgConnection::connect(EmbeddedCluster(shared_home->home).conninfo());
  BOOST_TEST(connection->exec("SELECT current_database()").get(0, 0) == "stellaops");
  BOOST_TEST(connection->exec("SELECT current_user").get(0, 0) == "stella");
  BOOST_TEST(connection->exec("SHOW listen_addresses").get(0, 0) == "");
  BOOST_TEST(connection->exec("SHOW server_encoding").get(0, 0) == "UTF8");
}

BOOST_AUTO_TEST_CASE(starting_a_running_cluster_changes_nothing) {
  EmbeddedCluster cluster(shared_home->home);
  const auto before = cluster.status().pid;
  BOOST_TEST((cluster.start() == StartOutcome::already_running));
  BOOST_TEST((cluster.start() == StartOutcome::already_running));
  BOOST_REQUIRE(before.has_value());
  BOOST_TEST(cluster.status().pid.value_or(0) == *before);
}

BOOST_AUTO_TEST_CASE(stop_then_start_keeps_the_data) {
  EmbeddedCluster cluster(shared_home->home);
  {
    const auto connection = PgConnection::connect(cluster.conninfo());
    connection->exec("CREATE TABLE survivor (note text)");
    connection->exec("INSERT INTO survivor VALUES ($1)", {"still here"});
  }
  const fs::path socket = cluster.status().socket_directory / ".s.PGSQL.5432";
  BOOST_TEST(cluster.stop());
  const ClusterStatus stopped = cluster.status();
  BOOST_TEST(stopped.initialized);
  BOOST_TEST(!stopped.running);
  BOOST_TEST(!stopped.pid.has_value());
  BOOST_TEST(!stopped.stopped_uncleanly);
  BOOST_TEST(!fs::exists(socket));
  BOOST_TEST(!cluster.stop());  // stopping a stopped cluster is fine

  BOOST_TEST((cluster.start() == StartOutcome::started));
  BOOST_TEST(cluster.status().running);
  const auto connection = PgConnection::connect(cluster.conninfo());
  BOOST_TEST(connection->exec("SELECT note FROM survivor").get(0, 0) == "still here");
}

BOOST_AUTO_TEST_CASE(stale_postmaster_pid_of_a_reused_pid_is_cleared_on_start) {
  EmbeddedCluster cluster(shared_home->home);
  const fs::path pid_file = shared_home->home / "pg" / "data" / "postmaster.pid";
  const std::string live = read_text(pid_file);
  cluster.stop();
  // The server died (power loss, container restart) and its pid now belongs to another process:
  // this test. PostgreSQL alone would refuse to start ("lock file already exists").
  write_text(pid_file, std::to_string(::getpid()) + live.substr(live.find('\n')));
  const ClusterStatus stale = cluster.status();
  BOOST_TEST(!stale.running);
  BOOST_TEST(stale.stopped_uncleanly);
  BOOST_TEST((cluster.start() == StartOutcome::started));
  const ClusterStatus restarted = cluster.status();
  BOOST_TEST(restarted.running);
  BOOST_TEST(restarted.pid.value_or(0) != ::getpid());
}

BOOST_AUTO_TEST_CASE(a_killed_server_not_yet_reaped_is_restarted) {
  // Once pg_ctl exits, the postmaster's parent is whoever adopts orphans. Made this test, the
  // killed server stays a zombie for as long as the test does not reap it, as under a container's
  // init that reaps late or never.
  BOOST_REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 1) == 0);
  EmbeddedCluster cluster(shared_home->home);
  cluster.stop();
  cluster.start();
  const int killed = cluster.status().pid.value_or(0);
  BOOST_REQUIRE(killed > 0);
  BOOST_REQUIRE(::kill(killed, SIGKILL) == 0);
  BOOST_REQUIRE(eventually_a_zombie(killed));

  const ClusterStatus dead = cluster.status();
  BOOST_TEST(!dead.running);
  BOOST_TEST(dead.stopped_uncleanly);
  BOOST_TEST(dead.pid.value_or(0) == killed);
  const auto said =
      stella::test::run_stella({"--home", shared_home->home.string(), "db", "status"});
  BOOST_TEST(said.out.find("stopped, not cleanly: its process (pid " + std::to_string(killed) +
                           ") is gone") != std::string::npos,
             said.out);
  BOOST_TEST((cluster.start() == StartOutcome::started));
  const ClusterStatus restarted = cluster.status();
  BOOST_TEST(restarted.running);
  BOOST_TEST(restarted.pid.value_or(killed) != killed);
  const auto connection = PgConnection::connect(cluster.conninfo());
  BOOST_TEST(connection->exec("SELECT 1").get(0, 0) == "1");

  // The killed server's processes, the postmaster among them, were adopted here: reap them.
  while (::waitpid(-1, nullptr, WNOHANG) > 0) {
  }
  BOOST_REQUIRE(::prctl(PR_SET_CHILD_SUBREAPER, 0) == 0);
}

BOOST_AUTO_TEST_CASE(a_migration_plan_on_the_embedded_server_shows_its_free_space) {
  // Only the embedded server's data directory is on this machine: a plan made on it says how much
  // room its volume has beside what the evidence takes.
  const std::string home = shared_home->home.string();
  BOOST_TEST_REQUIRE(stella::test::run_stella({"--home", home, "evidence", "init"}).exit_code == 0);
  const auto plan =
      stella::test::run_stella({"--home", home, "evidence", "migrate", "--from-version", "1.0",
                                "--to-version", "2.0", "--dry-run", "--format", "json"});
  BOOST_TEST_REQUIRE(plan.exit_code == 0, plan.err);
  const std::string free_bytes = "\"freeBytes\": ";
  const std::size_t at = plan.out.find(free_bytes);
  BOOST_TEST_REQUIRE(at != std::string::npos, plan.out);
  BOOST_TEST(std::isdigit(static_cast<unsigned char>(plan.out[at + free_bytes.size()])) != 0,
             plan.out.substr(at, 40));
  const auto text =
      stella::test::run_stella({"--home", home, "evidence", "migrate", "--from-version", "1.0",
                                "--to-version", "2.0", "--dry-run"});
  BOOST_TEST(text.out.find(" on the embedded server's data volume") != std::string::npos, text.out);
}

BOOST_AUTO_TEST_CASE(stop_is_refused_while_a_stella_command_is_connected_unless_forced) {
  // A fast shutdown would interrupt a migration, a reindex or an import mid-way.
  const fs::path home = shared_home->home;
  EmbeddedCluster cluster(home);
  cluster.start();
  const auto working = stella::host::PgConnection::connect(
      cluster.conninfo() + " application_name='stella migrate work (run 7)'");
  const std::string pid = std::to_string(working->backend_pid());
  const auto refused = stella::test::run_stella({"--home", home.string(), "db", "stop"});
  BOOST_TEST(refused.exit_code == 3, refused.err);
  BOOST_TEST(refused.err.find("1 stella session at work") != std::string::npos, refused.err);
  BOOST_TEST(refused.err.find("pid " + pid + ", stella migrate work (run 7)") != std::string::npos,
             refused.err);
  BOOST_TEST(refused.err.find("stella db stop --force") != std::string::npos, refused.err);
  BOOST_TEST(cluster.status().running);
  const auto forced = stella::test::run_stella({"--home", home.string(), "db", "stop", "--force"});
  BOOST_TEST(forced.exit_code == 0, forced.err);
  BOOST_TEST(!cluster.status().running);
  cluster.start();
}

BOOST_AUTO_TEST_CASE(a_verb_that_creates_the_cluster_says_it_is_new_and_empty) {
  // A mistyped --home must not look like a store that lost everything.
  const fs::path fresh = shared_home->root / "mistyped-home";
  const std::vector<std::string> status = {"--home", fresh.string(), "evidence", "migrate",
                                           "--status"};
  const auto first = stella::test::run_stella(status);
  BOOST_TEST(first.exit_code == 0, first.err);
  BOOST_TEST(first.err.find("no embedded PostgreSQL cluster was under " + fresh.string() +
                            "; created a new, empty one there") != std::string::npos,
             first.err);
  const auto second = stella::test::run_stella(status);
  BOOST_TEST(second.err.find("created a new") == std::string::npos, second.err);
  EmbeddedCluster(fresh).stop();
}

BOOST_AUTO_TEST_CASE(failed_start_quotes_the_server_log) {
  EmbeddedCluster cluster(shared_home->home);
  const fs::path conf = shared_home->home / "pg" / "data" / "postgresql.conf";
  const std::string original = read_text(conf);
  cluster.stop();
  {
    std::ofstream append(conf, std::ios::app);
    append << "shared_buffers = 'a-value-no-server-accepts'\n";
  }
  try {
    cluster.start();
    BOOST_FAIL("start with a broken postgresql.conf should fail");
  } catch (const Error& e) {
    const std::string message = e.what();
    BOOST_TEST(e.code() == ErrorCode::refused);
    BOOST_TEST(message.find("pg_ctl start") != std::string::npos, message);
    BOOST_TEST(
        message.find("last lines of " + (shared_home->home / "pg" / "server.log").string()) !=
            std::string::npos,
        message);
    BOOST_TEST(message.find("a-value-no-server-accepts") != std::string::npos, message);
    // Only this attempt's lines: not the shutdown logged by the stop() above.
    BOOST_TEST(message.find("database system is shut down") == std::string::npos, message);
  }
  write_text(conf, original);
  cluster.start();
  BOOST_TEST(cluster.status().running);
}

BOOST_AUTO_TEST_CASE(unreachable_home_is_refused_naming_the_directory,
                     *boost::unit_test::precondition([](boost::unit_test::test_unit_id) {
                       return ::geteuid() == 0;  // only root hands the server to another user
                     })) {
  const fs::path locked = shared_home->root / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_all);
  const auto result =
      stella::test::run_stella({"db", "start", "--home", (locked / "home").string()});
  BOOST_TEST(result.exit_code == 3, result.err);
  BOOST_TEST(
      result.err.find("cannot enter " + locked.string() + " (mode 700)") != std::string::npos,
      result.err);
  BOOST_TEST(result.err.find("chmod o+x " + locked.string()) != std::string::npos, result.err);
  BOOST_TEST(!fs::exists(locked / "home"));  // checked before anything was created
}
