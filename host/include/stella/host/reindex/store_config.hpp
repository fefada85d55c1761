// The store's settings (stella.config): what `stella evidence config get|set` shows and changes.
// Today one key exists, hash-algorithm: the target algorithm of `stella evidence reindex`.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// The algorithm id (a reindexer plugin's provided algorithm) that reindex moves the store to.
inline constexpr const char* kHashAlgorithmKey = "hash-algorithm";

/// One row of stella.config.
struct ConfigEntry {
  std::string key;
  std::string value;
  /// ISO 8601 UTC.
  std::string updated_at;
  std::string updated_by;
};

/// The keys `config set` accepts, in a fixed order.
const std::vector<std::string>& known_config_keys();

/// Throws sdk::Error(invalid_input) naming the key, the known keys and the closest one when `key`
/// is not a known key.
void require_known_config_key(std::string_view key);

/// The entry for `key`, or nullopt when it was never set. Needs the state schema
/// (ensure_state_schema).
std::optional<ConfigEntry> read_config(PgConnection& connection, std::string_view key);

/// Every entry, by key.
std::vector<ConfigEntry> read_all_config(PgConnection& connection);

/// Sets `key` to `value` and appends a config_change audit event (key, old_value, new_value) in
/// the same transaction; opens and commits its own transaction. Setting the value it already has
/// changes nothing and writes no event. `allowed_values`: when not empty, `value` must be one of
/// them (throws sdk::Error(invalid_input) listing them otherwise). Returns the entry as stored;
/// `replaced`, when given, receives the value the write replaced (nullopt: it was unset), read
/// under the same lock as the write, as the audit event records it.
ConfigEntry write_config(PgConnection& connection, std::string_view key, std::string_view value,
                         std::string_view operator_name,
                         const std::vector<std::string>& allowed_values,
                         std::optional<std::string>* replaced = nullptr);

}  // namespace stella::host
