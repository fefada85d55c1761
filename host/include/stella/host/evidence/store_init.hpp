// `stella evidence init`: creates the evidence schema of a version and the tool's state schema in
// one transaction, or leaves an existing store exactly as it is.
#pragma once

#include <string>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The schema version `init` creates when none is named.
inline constexpr const char* kDefaultSchemaVersion = "1.0";

struct InitOutcome {
  /// False when a store already existed (nothing was changed).
  bool created = false;
  /// The store's schema version after the call.
  std::string schema_version;
  std::string database;
};

/// Creates the store at `schema_version`, recording a store_init audit event by `operator_name` in
/// the same transaction. Throws sdk::Error(invalid_input) for a version whose SQL is not embedded
/// (listing those that are), sdk::Error(refused) when the database holds a store at another
/// version or a schema "evidence" that is not a store.
InitOutcome init_store(PgConnection& connection, const std::string& schema_version,
                       const std::string& operator_name);

/// init_store inside the caller's transaction (an import that creates the store and loads it in
/// one transaction): writes the store when there is none, and leaves committing or rolling back to
/// the caller. Throws what init_store throws, and sdk::Error(internal) outside a transaction.
InitOutcome init_store_in_transaction(PgConnection& connection, const std::string& schema_version,
                                      const std::string& operator_name);

}  // namespace stella::host
