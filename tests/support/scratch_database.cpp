#include "support/scratch_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <iostream>

#include "stella/host/store/embedded_cluster.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "support/run_cli_process.hpp"

namespace stella::test {
namespace {

constexpr const char* kMaintenanceDatabase = "postgres";
/// PostgreSQL truncates identifiers longer than this; the pid and counter must survive.
constexpr std::size_t kMaxPrefixLength = 40;

/// Lower-case letters, digits and underscores only, so the name needs no quoting in a shell.
std::string readable_prefix(const std::string& prefix) {
  std::string result;
  for (const char c : prefix) {
    if (result.size() == kMaxPrefixLength) {
      break;
    }
    const auto byte = static_cast<unsigned char>(c);
    result += std::isalnum(byte) ? static_cast<char>(std::tolower(byte)) : '_';
  }
  return result.empty() ? "test" : result;
}

std::string maintenance_conninfo() {
  return host::EmbeddedCluster(required_env("STELLA_TEST_HOME")).conninfo(kMaintenanceDatabase);
}

}  // namespace

ScratchDatabase::ScratchDatabase(const std::string& prefix) {
  static std::atomic<int> counter{0};
  const std::string home = required_env("STELLA_TEST_HOME");
  name_ =
      readable_prefix(prefix) + "_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  const auto admin = host::PgConnection::connect(maintenance_conninfo());
  admin->exec("CREATE DATABASE " + admin->quote_identifier(name_));
  conninfo_ = host::EmbeddedCluster(home).conninfo(name_);
}

ScratchDatabase::~ScratchDatabase() {
  try {
    const auto admin = host::PgConnection::connect(maintenance_conninfo());
    admin->exec("DROP DATABASE IF EXISTS " + admin->quote_identifier(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    // A leftover database costs only disk space on the throwaway test cluster; say so and go on.
    std::cerr << "note: could not drop scratch database " << name_ << ": " << e.what() << '\n';
  } catch (...) {
    std::cerr << "note: could not drop scratch database " << name_ << '\n';
  }
}

}  // namespace stella::test
