// A fresh, empty database on the test cluster, dropped when the test is done.
#pragma once

#include <string>

namespace stella::test {

/// Creates a uniquely named empty database on the embedded cluster under STELLA_TEST_HOME (started
/// by the ctest `postgres` fixture) and drops it on destruction.
class ScratchDatabase {
 public:
  /// `prefix` makes the name readable in server logs ("migrate" -> "migrate_1234_1").
  explicit ScratchDatabase(const std::string& prefix = "test");
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  const std::string& name() const { return name_; }
  /// libpq connection string for this database (pass to `stella --database`).
  const std::string& conninfo() const { return conninfo_; }

 private:
  std::string name_;
  std::string conninfo_;
};

}  // namespace stella::test
