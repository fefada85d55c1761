// The digests of a generation being built, in a table of their own until sealing attaches it.
// Without a key while it fills, nothing but evidence.bundle_roots stops a bundle's digests being
// written twice: they are only ever written in the transaction that writes the bundle's root, whose
// primary key (generation, bundle_id) refuses the second writer, so that transaction rolls back
// with its digests (transient_conflict.hpp) and is retried.
#include "reindex/generation_digests_table.hpp"

#include <chrono>
#include <thread>

#include "reindex/reindex_locks.hpp"
#include "stella/host/store/sqlstate.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr const char* kStoreTable = "evidence.artifact_digests";
/// Where rows inserted through kStoreTable go when their generation has no partition of its own.
constexpr const char* kDefaultPartition = "evidence.artifact_digests_default";

/// How long a step waits for a lock before reporting a conflict (the seal's retry loop then runs
/// it again).
constexpr const char* kStepLockTimeout = "60s";

/// Sort memory for the key and index builds: a million keys take about 100 MB, and an external
/// sort on disk is several times slower. Raised for these transactions only.
constexpr const char* kIndexBuildMemory = "256MB";

/// How long the attach goes on trying for its locks, and the pause between two tries.
constexpr auto kAttachLockPatience = std::chrono::seconds(60);
constexpr auto kAttachLockPause = std::chrono::milliseconds(100);

std::string unqualified_name(int generation) {
  return "artifact_digests_g" + std::to_string(generation);
}

bool store_table_partitioned(PgConnection& connection) {
  return connection
             .exec(
                 "SELECT c.relkind = 'p' FROM pg_class c "
                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                 "WHERE n.nspname = 'evidence' AND c.relname = 'artifact_digests'")
             .get(0, 0) == "t";
}

bool table_exists(PgConnection& connection, const std::string& name) {
  return connection.exec("SELECT to_regclass($1) IS NOT NULL", {"evidence." + name}).get(0, 0) ==
         "t";
}

bool is_partition(PgConnection& connection, const std::string& name) {
  return connection
             .exec(
                 "SELECT EXISTS (SELECT 1 FROM pg_class WHERE oid = to_regclass($1) "
                 "AND relispartition)",
                 {"evidence." + name})
             .get(0, 0) == "t";
}

/// "absent", "not valid" or "valid".
std::string constraint_state(PgConnection& connection, const std::string& table,
                             const std::string& constraint) {
  const PgResult row = connection.exec(
      "SELECT convalidated FROM pg_constraint WHERE conrelid = to_regclass($1) AND conname = $2",
      {"evidence." + table, constraint});
  if (row.rows() == 0) {
    return "absent";
  }
  return row.get(0, 0) == "t" ? "valid" : "not valid";
}

/// Runs `body` in its own transaction under the seal lock, so that two workers finishing at once
/// build each object once and a straggler pass never writes into a half-built step.
template <typename Body>
void locked_step(PgConnection& connection, Body body) {
  PgTransaction transaction(connection);
  connection.exec(std::string("SET LOCAL lock_timeout = '") + kStepLockTimeout + "'");
  connection.exec(std::string("SET LOCAL maintenance_work_mem = '") + kIndexBuildMemory + "'");
  connection.exec("SELECT pg_advisory_xact_lock($1)", {std::to_string(kReindexSealLockKey)});
  body();
  transaction.commit();
}

/// Writers that give new evidence digests in every live generation (docs/store-schema-2.0.md)
/// insert the building generation's rows through evidence.artifact_digests, which puts them in the
/// default partition: they join the rest of the generation before its keys are built and again
/// before it is attached.
void move_stray_digests(PgConnection& connection, const std::string& table, int generation) {
  connection.exec("WITH moved AS (DELETE FROM " + std::string(kDefaultPartition) +
                      " WHERE generation = $1 RETURNING bundle_id, path, generation, digest) "
                      "INSERT INTO " +
                      table + " (bundle_id, path, generation, digest) SELECT * FROM moved",
                  {std::to_string(generation)});
}

/// A digest whose artifact is gone can only mean that the store lost records while the generation
/// was built (stella never deletes them): said as such, with what to do, instead of PostgreSQL's
/// bare foreign-key message.
void validate_foreign_key(PgConnection& connection, const std::string& table,
                          const std::string& constraint, int generation) {
  try {
    connection.exec("ALTER TABLE " + table + " VALIDATE CONSTRAINT " + constraint);
  } catch (const sdk::Error& error) {
    if (!reports_sqlstate(error, sqlstate::kForeignKeyViolation)) {
      throw;
    }
    throw sdk::Error(sdk::ErrorCode::verification_failed,
                     "generation " + std::to_string(generation) +
                         "'s digests name records the store no longer holds, so it cannot be "
                         "sealed; nothing was sealed: " +
                         error.what(),
                     "records were removed from the store while it was reindexed; run `stella "
                     "evidence integrity-check --deep`, delete the rows named above from " +
                         table + ", then run `stella evidence reindex --resume`");
  }
}

/// The locks of the attach, in the order every writer and reader takes theirs: every load reads
/// evidence.digest_generations first (stella's loads check the load generation before writing),
/// then writes bundles, artifacts and digests; readers read the generations first too. The first
/// lock is waited for, as the attach holds nothing else then: the loads and reads that hold the
/// generations finish, and new ones wait behind it. The others are taken without waiting: a
/// session that holds one of them without the generations (and may wait for the generations) is
/// not waited for, which could close a cycle; the step is given up and tried again a little later.
void lock_attach_tables(PgConnection& connection) {
  connection.exec("LOCK TABLE evidence.digest_generations IN ACCESS EXCLUSIVE MODE");
  connection.exec("LOCK TABLE evidence.artifacts IN ACCESS EXCLUSIVE MODE NOWAIT");
  // So that no writer adds a row of generation N between the move and the attach's scan.
  connection.exec(std::string("LOCK TABLE ") + kDefaultPartition +
                  " IN ACCESS EXCLUSIVE MODE NOWAIT");
}

}  // namespace

std::int64_t count_generation_digests(PgConnection& connection, int generation) {
  const std::string number = std::to_string(generation);
  if (!store_table_partitioned(connection)) {
    return connection
        .exec(std::string("SELECT count(*) FROM ") + kStoreTable + " WHERE generation = $1",
              {number})
        .get_int64(0, 0);
  }
  const std::string name = unqualified_name(generation);
  const std::string own =
      table_exists(connection, name) ? "(SELECT count(*) FROM evidence." + name + ")" : "0";
  return connection
      .exec("SELECT " + own + " + (SELECT count(*) FROM " + kDefaultPartition +
                " WHERE generation = $1)",
            {number})
      .get_int64(0, 0);
}

std::string generation_digests_table(PgConnection& connection, int generation) {
  if (!store_table_partitioned(connection)) {
    return kStoreTable;
  }
  return "evidence." + unqualified_name(generation);
}

void create_generation_digests_table(PgConnection& connection, int generation) {
  if (!store_table_partitioned(connection)) {
    return;
  }
  const std::string name = unqualified_name(generation);
  connection.exec("CREATE TABLE IF NOT EXISTS evidence." + name + " (LIKE " + kStoreTable +
                  " INCLUDING DEFAULTS INCLUDING CONSTRAINTS, CONSTRAINT " + name +
                  "_generation_check CHECK (generation = " + std::to_string(generation) + "))");
}

bool build_generation_keys(PgConnection& connection, int generation) {
  const std::string name = unqualified_name(generation);
  if (generation_digests_attached(connection, generation) || !table_exists(connection, name)) {
    return false;
  }
  const std::string table = "evidence." + name;
  // Key and index: only this table is locked, and only this run's workers write to it.
  locked_step(connection, [&] {
    move_stray_digests(connection, table, generation);
    if (constraint_state(connection, name, name + "_pkey") == "absent") {
      connection.exec("ALTER TABLE " + table + " ADD CONSTRAINT " + name +
                      "_pkey PRIMARY KEY (generation, bundle_id, path)");
    }
    if (!table_exists(connection, name + "_by_artifact")) {
      connection.exec("CREATE INDEX " + name + "_by_artifact ON " + table + " (bundle_id, path)");
    }
  });
  // Foreign keys, declared without checking existing rows: adding one locks evidence.artifacts
  // against writes, so that lock is held only for the declaration.
  locked_step(connection, [&] {
    if (constraint_state(connection, name, name + "_artifact_fkey") == "absent") {
      connection.exec("ALTER TABLE " + table + " ADD CONSTRAINT " + name +
                      "_artifact_fkey FOREIGN KEY (bundle_id, path) REFERENCES "
                      "evidence.artifacts (bundle_id, path) NOT VALID");
    }
    if (constraint_state(connection, name, name + "_generation_fkey") == "absent") {
      connection.exec("ALTER TABLE " + table + " ADD CONSTRAINT " + name +
                      "_generation_fkey FOREIGN KEY (generation) REFERENCES "
                      "evidence.digest_generations (generation) NOT VALID");
    }
  });
  // Validation checks every row in one join and lets ingest go on meanwhile.
  locked_step(connection, [&] {
    for (const char* suffix : {"_artifact_fkey", "_generation_fkey"}) {
      if (constraint_state(connection, name, name + suffix) == "not valid") {
        validate_foreign_key(connection, table, name + suffix, generation);
      }
    }
  });
  return true;
}

void attach_generation_digests(PgConnection& connection, int generation) {
  if (!build_generation_keys(connection, generation)) {
    return;
  }
  const std::string table = "evidence." + unqualified_name(generation);
  // The key, index and foreign keys match the parent's, so the attach adopts them instead of
  // building its own; CHECK (generation = N) spares the scan of this table. The default partition
  // is scanned for rows of generation N under an exclusive lock on it, after the last of them
  // moved in. Adopting a foreign key replaces the partition's own triggers on the table it
  // references, which takes PostgreSQL an ACCESS EXCLUSIVE lock on evidence.digest_generations
  // and on evidence.artifacts: every lock the attach needs is taken before it, in the order
  // writers and readers take theirs (lock_attach_tables).
  // Bounded by time, not tries: a try ends either at once (a NOWAIT lock held) or after
  // kStepLockTimeout (the first lock), and both report lock_not_available.
  const auto give_up_at = std::chrono::steady_clock::now() + kAttachLockPatience;
  while (true) {
    try {
      locked_step(connection, [&] {
        lock_attach_tables(connection);
        // Another worker of the run may have attached it while this one waited for the locks.
        if (is_partition(connection, unqualified_name(generation))) {
          return;
        }
        move_stray_digests(connection, table, generation);
        connection.exec(std::string("ALTER TABLE ") + kStoreTable + " ATTACH PARTITION " + table +
                        " FOR VALUES IN (" + std::to_string(generation) + ")");
      });
      return;
    } catch (const sdk::Error& error) {
      if (!reports_sqlstate(error, sqlstate::kLockNotAvailable) ||
          std::chrono::steady_clock::now() >= give_up_at) {
        throw;
      }
      std::this_thread::sleep_for(kAttachLockPause);
    }
  }
}

bool generation_digests_attached(PgConnection& connection, int generation) {
  return !store_table_partitioned(connection) ||
         is_partition(connection, unqualified_name(generation));
}

}  // namespace stella::host
