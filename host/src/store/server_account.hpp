// The operating-system user the embedded PostgreSQL server runs as. PostgreSQL refuses to run as
// root, so when stella runs as root the server runs as an unprivileged account instead
// (docs/embedded-database.md: "stella" if it exists, else "postgres", else "nobody").
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace stella::host {

struct ServerAccount {
  std::string name;
  uid_t uid = 0;
  gid_t gid = 0;
  /// True when the caller is root and child processes must drop to this account.
  bool switch_user = false;
};

/// The account for a cluster. `recorded` is the user named in cluster.json for an existing cluster
/// (its data directory belongs to that user). Throws sdk::Error(refused) when the recorded user is
/// gone, when no candidate exists, or when a non-root caller is not the recorded user.
ServerAccount choose_server_account(const std::optional<std::string>& recorded);

/// The accounts tried, in order, when root creates a cluster.
const std::vector<std::string>& unprivileged_account_candidates();

/// In a freshly forked child: becomes `account` (setgroups, setgid, setuid) when it must switch.
/// Returns false on failure with errno set. Only async-signal-safe calls.
bool become_account(const ServerAccount& account) noexcept;

/// The first of `directory`'s ancestors (from / down, `directory` included) that `account` cannot
/// enter (search permission), or nullopt when it can reach `directory`.
std::optional<std::filesystem::path> first_unenterable_directory(
    const ServerAccount& account, const std::filesystem::path& directory);

/// Makes `path` owned by `account` with `mode` (when the caller can change the owner).
void hand_over(const ServerAccount& account, const std::filesystem::path& path, mode_t mode);

}  // namespace stella::host
