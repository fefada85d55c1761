// cluster.json: what was decided when the cluster was created (socket directory, port, the user
// the server runs as), so that every later call connects to and controls the same server.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace stella::host {

struct ClusterState {
  std::filesystem::path socket_directory;
  int port = 0;
  /// The operating-system user who owns the data directory and runs the server.
  std::string server_user;
};

/// The recorded state, or nullopt when the file does not exist. Throws sdk::Error(invalid_input)
/// naming the file and the problem when it exists but is not what this version writes.
std::optional<ClusterState> read_cluster_state(const std::filesystem::path& file);

/// Writes the state atomically (temporary file, then rename).
void write_cluster_state(const std::filesystem::path& file, const ClusterState& state);

}  // namespace stella::host
