// Where a reindex writes the digests of the generation it builds. evidence.artifact_digests is
// partitioned by generation: while a generation is built its digests go into a table of their own
// with no key, index or foreign key; when the batches are done those are added in bulk and the
// table is attached as the generation's partition, just before the seal. Checking a million
// references row by row as they arrive costs several times more than hashing the bytes
// (docs/reindex.md, "Benchmark").
#pragma once

#include <cstdint>
#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The table that holds (while building) and then is (once sealed) generation `generation`'s
/// partition: "evidence.artifact_digests_g<N>". On a store whose evidence.artifact_digests is not
/// partitioned (laid out by an earlier stella), evidence.artifact_digests itself.
std::string generation_digests_table(PgConnection& connection, int generation);

/// Creates the generation's table if it does not exist yet: the columns, NOT NULLs and CHECK
/// constraints of evidence.artifact_digests plus CHECK (generation = N), which lets the attach
/// skip scanning it. Nothing to do on an unpartitioned store. Run inside the transaction that
/// creates the generation.
void create_generation_digests_table(PgConnection& connection, int generation);

/// How many digests of `generation` the store holds: those in its table and those a writer put
/// through evidence.artifact_digests while it was being built (they land in the default partition
/// until attach_generation_digests moves them).
std::int64_t count_generation_digests(PgConnection& connection, int generation);

/// Gives the generation's table the primary key and by-artifact index (built in bulk) and its
/// foreign keys (declared NOT VALID, then validated in one join). Each step runs in its own short
/// transaction under the seal lock and is skipped when already done, so a rerun after a crash
/// picks up where this stopped. Nothing to do once the table is attached, or on an unpartitioned
/// store: then false, otherwise true (the table is there to attach).
bool build_generation_keys(PgConnection& connection, int generation);

/// build_generation_keys, then attaches the table as the generation's partition, once the batches
/// are done and before the seal; skipped when already attached. Rows of the generation that
/// writers put into the default partition are moved in first. From the attach on, the
/// generation's digests are seen through evidence.artifact_digests, as a building generation's
/// always were before partitioning. The attach locks evidence.artifacts before the default
/// partition, in the order ingest writes them, so that it waits for an ingest in progress instead
/// of deadlocking with it.
void attach_generation_digests(PgConnection& connection, int generation);

/// True when the generation's digests are part of evidence.artifact_digests: its table is attached,
/// or the store's table is not partitioned.
bool generation_digests_attached(PgConnection& connection, int generation);

}  // namespace stella::host
