// The throwaway embedded PostgreSQL cluster `stella plugins test` works on: a new temporary state
// directory, never the operator's store, stopped and removed when the test ends (also when it
// fails or is interrupted). With --keep-home the stopped cluster's directory stays for a look
// (`stella db start --home DIR`).
#pragma once

#include <filesystem>
#include <string>

#include "stella/host/store/embedded_cluster.hpp"

namespace stella::host {

/// Ownership: owns the temporary directory and the server running in it.
/// Failure: the constructor throws sdk::Error(refused) when the cluster cannot be created; the
/// destructor never throws.
class ThrowawayStore {
 public:
  /// Creates <temp>/stella-plugin-test-XXXXXX (passable by the server's account when stella runs
  /// as root) and starts a new cluster in its home/ folder.
  explicit ThrowawayStore(bool keep);
  ~ThrowawayStore();
  ThrowawayStore(const ThrowawayStore&) = delete;
  ThrowawayStore& operator=(const ThrowawayStore&) = delete;

  /// The state directory (--home) of the cluster.
  const std::filesystem::path& home() const { return home_; }
  /// libpq connection string of `database` on the cluster.
  std::string conninfo(const std::string& database = kDefaultDatabaseName) const;
  /// A scratch directory beside the cluster for exports and corpora.
  std::filesystem::path scratch(const std::string& name) const;

  /// Stops (and removes, unless kept) every store alive in the process, from any thread: for when
  /// a plugin hangs and the process ends without unwinding the thread that holds them.
  static void stop_all() noexcept;

 private:
  void stop_and_clean() noexcept;

  std::filesystem::path top_;
  std::filesystem::path home_;
  EmbeddedCluster cluster_;
  bool keep_;
};

}  // namespace stella::host
