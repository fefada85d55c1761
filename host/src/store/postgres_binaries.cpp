#include "store/postgres_binaries.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <vector>

#include "stella/sdk/error.hpp"
#include "store/child_process.hpp"

namespace stella::host {
namespace {

const std::filesystem::path kDebianServerRoot = "/usr/lib/postgresql";
constexpr const char* kPackageHint = "postgresql-15";

bool has_server_programs(const std::filesystem::path& directory) {
  for (const char* program : {"initdb", "pg_ctl", "postgres"}) {
    if (::access((directory / program).c_str(), X_OK) != 0) {
      return false;
    }
  }
  return true;
}

std::optional<std::filesystem::path> pg_config_bindir() {
  const ChildOutcome outcome = run_child({"pg_config", "--bindir"}, nullptr, "/");
  if (outcome.exit_code != 0) {
    return std::nullopt;
  }
  std::string directory = outcome.output;
  while (!directory.empty() && (directory.back() == '\n' || directory.back() == ' ')) {
    directory.pop_back();
  }
  return directory.empty() ? std::nullopt : std::optional<std::filesystem::path>(directory);
}

/// /usr/lib/postgresql/<N>/bin for every numeric N, highest first.
std::vector<std::filesystem::path> debian_bindirs_highest_first() {
  std::vector<std::pair<long, std::filesystem::path>> versions;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(kDebianServerRoot, error)) {
    const std::string name = entry.path().filename().string();
    if (!name.empty() && std::all_of(name.begin(), name.end(), ::isdigit)) {
      versions.emplace_back(std::stol(name), entry.path() / "bin");
    }
  }
  std::sort(versions.begin(), versions.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::filesystem::path> result;
  for (auto& version : versions) {
    result.push_back(std::move(version.second));
  }
  return result;
}

std::vector<std::filesystem::path> path_directories() {
  std::vector<std::filesystem::path> result;
  const char* path = std::getenv("PATH");
  std::stringstream stream(path == nullptr ? "" : path);
  std::string item;
  while (std::getline(stream, item, ':')) {
    if (!item.empty()) {
      result.emplace_back(item);
    }
  }
  return result;
}

}  // namespace

PostgresBinaries find_postgres_binaries(const std::optional<std::string>& data_major_version) {
  std::vector<std::filesystem::path> searched;
  const auto try_directory = [&searched](const std::filesystem::path& directory) {
    searched.push_back(directory);
    return has_server_programs(directory);
  };
  if (data_major_version) {
    const std::filesystem::path matching = kDebianServerRoot / *data_major_version / "bin";
    if (try_directory(matching)) {
      return {matching};
    }
  }
  if (const auto bindir = pg_config_bindir(); bindir && try_directory(*bindir)) {
    return {*bindir};
  }
  for (const auto& directory : debian_bindirs_highest_first()) {
    if (try_directory(directory)) {
      return {directory};
    }
  }
  for (const auto& directory : path_directories()) {
    if (try_directory(directory)) {
      return {directory};
    }
  }
  std::string places;
  for (const auto& directory : searched) {
    places += (places.empty() ? "" : ", ") + directory.string();
  }
  throw sdk::Error(sdk::ErrorCode::refused,
                   "the PostgreSQL server programs (initdb, pg_ctl, postgres) were not found; "
                   "searched `pg_config --bindir`, " +
                       kDebianServerRoot.string() + "/<version>/bin and PATH: " +
                       (places.empty() ? std::string("nothing to search") : places),
                   std::string("install the server (apt-get install ") + kPackageHint +
                       "), or point --database at an existing PostgreSQL server");
}

}  // namespace stella::host
