#include "store/server_account.hpp"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr uid_t kRootUid = 0;
/// The child of first_unenterable_directory exits with this when it could not switch user.
constexpr int kSwitchFailedExit = 126;

std::optional<ServerAccount> lookup(const std::string& name) {
  const passwd* entry = ::getpwnam(name.c_str());
  if (entry == nullptr) {
    return std::nullopt;
  }
  ServerAccount account;
  account.name = entry->pw_name;
  account.uid = entry->pw_uid;
  account.gid = entry->pw_gid;
  account.switch_user = ::geteuid() == kRootUid;
  return account;
}

std::string candidates_text() {
  std::string text;
  for (const auto& name : unprivileged_account_candidates()) {
    text += (text.empty() ? "" : ", ") + name;
  }
  return text;
}

}  // namespace

const std::vector<std::string>& unprivileged_account_candidates() {
  // "stella": an administrator who wants a dedicated account creates it. "postgres": the
  // PostgreSQL packages' own account, present wherever the server is installed. "nobody": last
  // resort, so that a fresh machine needs no set-up.
  static const std::vector<std::string> candidates = {"stella", "postgres", "nobody"};
  return candidates;
}

ServerAccount choose_server_account(const std::optional<std::string>& recorded) {
  const uid_t caller = ::geteuid();
  if (recorded) {
    std::optional<ServerAccount> account = lookup(*recorded);
    if (!account) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "the embedded cluster's server runs as user '" + *recorded +
                           "', which no longer exists on this machine",
                       "create the user again (useradd --system " + *recorded +
                           ") or start over with a new --home");
    }
    if (caller != kRootUid && account->uid != caller) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       "the embedded cluster's data directory belongs to user '" + *recorded +
                           "', but stella runs as uid " + std::to_string(caller),
                       "run stella as '" + *recorded + "' or as root, or use another --home");
    }
    return *account;
  }
  if (caller != kRootUid) {
    const passwd* entry = ::getpwuid(caller);
    ServerAccount self;
    self.name = entry != nullptr ? entry->pw_name : std::to_string(caller);
    self.uid = caller;
    self.gid = ::getegid();
    self.switch_user = false;
    return self;
  }
  for (const auto& name : unprivileged_account_candidates()) {
    if (std::optional<ServerAccount> account = lookup(name); account && account->uid != kRootUid) {
      return *account;
    }
  }
  throw sdk::Error(sdk::ErrorCode::refused,
                   "PostgreSQL refuses to run as root, and none of the unprivileged users " +
                       candidates_text() + " exists to run the embedded server",
                   "create one (useradd --system --no-create-home stella), or point --database at "
                   "an existing PostgreSQL server");
}

bool become_account(const ServerAccount& account) noexcept {
  if (!account.switch_user) {
    return true;
  }
  const gid_t group = account.gid;
  return ::setgroups(1, &group) == 0 && ::setgid(account.gid) == 0 && ::setuid(account.uid) == 0 &&
         ::geteuid() == account.uid;
}

std::optional<std::filesystem::path> first_unenterable_directory(
    const ServerAccount& account, const std::filesystem::path& directory) {
  std::vector<std::filesystem::path> chain;
  for (std::filesystem::path step = directory;; step = step.parent_path()) {
    chain.insert(chain.begin(), step);
    if (step == step.parent_path()) {
      break;
    }
  }
  int report[2];
  if (::pipe2(report, O_CLOEXEC) != 0) {
    throw sdk::Error(sdk::ErrorCode::internal, std::string("pipe failed: ") + std::strerror(errno));
  }
  const pid_t child = ::fork();
  if (child < 0) {
    throw sdk::Error(sdk::ErrorCode::internal, std::string("fork failed: ") + std::strerror(errno));
  }
  if (child == 0) {
    ::close(report[0]);
    if (!become_account(account)) {
      ::_exit(kSwitchFailedExit);
    }
    for (std::size_t index = 0; index < chain.size(); ++index) {
      if (::access(chain[index].c_str(), X_OK) != 0 && errno != ENOENT) {
        const auto bytes = reinterpret_cast<const char*>(&index);
        [[maybe_unused]] const auto written = ::write(report[1], bytes, sizeof index);
        break;
      }
    }
    ::_exit(0);
  }
  ::close(report[1]);
  std::size_t failing = 0;
  const ssize_t got = ::read(report[0], &failing, sizeof failing);
  ::close(report[0]);
  int status = 0;
  while (::waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == kSwitchFailedExit) {
    throw sdk::Error(sdk::ErrorCode::refused, "cannot switch to user '" + account.name +
                                                  "' to check its access to " + directory.string());
  }
  if (got == static_cast<ssize_t>(sizeof failing) && failing < chain.size()) {
    return chain[failing];
  }
  return std::nullopt;
}

void hand_over(const ServerAccount& account, const std::filesystem::path& path, mode_t mode) {
  if (account.switch_user && ::chown(path.c_str(), account.uid, account.gid) != 0) {
    throw sdk::Error(sdk::ErrorCode::refused, "cannot give " + path.string() + " to user '" +
                                                  account.name + "': " + std::strerror(errno));
  }
  if (::chmod(path.c_str(), mode) != 0) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "cannot set the mode of " + path.string() + ": " + std::strerror(errno));
  }
}

}  // namespace stella::host
