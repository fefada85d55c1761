// A consistent read of the state tables: the caller's transaction when one is open, otherwise a
// REPEATABLE READ READ ONLY transaction of our own, rolled back when done.
#pragma once

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Ownership: borrows the connection for its lifetime. Not thread-safe (like the connection).
class ReadSnapshot {
 public:
  explicit ReadSnapshot(PgConnection& connection);
  ~ReadSnapshot();
  ReadSnapshot(const ReadSnapshot&) = delete;
  ReadSnapshot& operator=(const ReadSnapshot&) = delete;

  /// True when the snapshot is our own transaction (not the caller's).
  bool owned() const { return owned_; }

 private:
  PgConnection& connection_;
  bool owned_;
};

}  // namespace stella::host
