// stella.config: reading and writing store settings, each change recorded in the audit trail.
#include "stella/host/reindex/store_config.hpp"

#include <algorithm>

#include <rapidjson/document.h>

#include "reindex/iso_utc_sql.hpp"
#include "stella/host/audit/audit_log.hpp"
#include "stella/host/cli/did_you_mean.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

std::string select_sql() {
  return "SELECT key, value, " + iso_utc_sql("updated_at") + ", updated_by FROM stella.config";
}

ConfigEntry entry_from(const PgResult& rows, int row) {
  return ConfigEntry{std::string(rows.get(row, 0)), std::string(rows.get(row, 1)),
                     std::string(rows.get(row, 2)), std::string(rows.get(row, 3))};
}

std::string change_json(std::string_view key, const std::optional<std::string>& old_value,
                        std::string_view new_value) {
  rapidjson::Document data(rapidjson::kObjectType);
  auto& allocator = data.GetAllocator();
  data.AddMember(
      "key", rapidjson::Value(key.data(), static_cast<rapidjson::SizeType>(key.size()), allocator),
      allocator);
  rapidjson::Value old_json;
  if (old_value) {
    old_json.SetString(old_value->c_str(), static_cast<rapidjson::SizeType>(old_value->size()),
                       allocator);
  }
  data.AddMember("old_value", old_json, allocator);
  data.AddMember("new_value",
                 rapidjson::Value(new_value.data(),
                                  static_cast<rapidjson::SizeType>(new_value.size()), allocator),
                 allocator);
  return json_to_string(data, JsonLayout::compact);
}

}  // namespace

const std::vector<std::string>& known_config_keys() {
  static const std::vector<std::string> keys = {kHashAlgorithmKey};
  return keys;
}

void require_known_config_key(std::string_view key) {
  const auto& keys = known_config_keys();
  if (std::find(keys.begin(), keys.end(), key) != keys.end()) {
    return;
  }
  const auto suggestion = closest_match(key, keys);
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "unknown setting '" + std::string(key) + "'; known settings: " + joined(keys),
                   suggestion ? "did you mean '" + *suggestion + "'?"
                              : "for example: stella evidence config set hash-algorithm sha512");
}

std::optional<ConfigEntry> read_config(PgConnection& connection, std::string_view key) {
  const PgResult rows = connection.exec(select_sql() + " WHERE key = $1", {std::string(key)});
  if (rows.rows() == 0) {
    return std::nullopt;
  }
  return entry_from(rows, 0);
}

std::vector<ConfigEntry> read_all_config(PgConnection& connection) {
  const PgResult rows = connection.exec(select_sql() + " ORDER BY key");
  std::vector<ConfigEntry> entries;
  for (int r = 0; r < rows.rows(); ++r) {
    entries.push_back(entry_from(rows, r));
  }
  return entries;
}

ConfigEntry write_config(PgConnection& connection, std::string_view key, std::string_view value,
                         std::string_view operator_name,
                         const std::vector<std::string>& allowed_values,
                         std::optional<std::string>* replaced) {
  require_known_config_key(key);
  if (!allowed_values.empty() &&
      std::find(allowed_values.begin(), allowed_values.end(), value) == allowed_values.end()) {
    const auto suggestion = closest_match(value, allowed_values);
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "'" + std::string(value) + "' is not a valid " + std::string(key) +
                         "; installed reindexer plugins provide: " + joined(allowed_values),
                     suggestion ? "did you mean '" + *suggestion + "'?"
                                : "install a reindexer plugin for it (`stella plugins list` shows "
                                  "what is installed)");
  }
  PgTransaction transaction(connection);
  // Serializes concurrent `config set` of the same key, so each audit event's old_value is the
  // value the change really replaced. A row lock alone does not: while the key is unset there is
  // no row to lock, and every concurrent first set read "unset".
  connection.exec("SELECT pg_advisory_xact_lock(hashtext('stella.config:' || $1))",
                  {std::string(key)});
  const PgResult current =
      connection.exec("SELECT value FROM stella.config WHERE key = $1", {std::string(key)});
  std::optional<std::string> old_value;
  if (current.rows() > 0) {
    old_value = std::string(current.get(0, 0));
  }
  if (replaced != nullptr) {
    *replaced = old_value;
  }
  if (old_value == value) {
    transaction.commit();
    return *read_config(connection, key);
  }
  connection.exec(
      "INSERT INTO stella.config (key, value, updated_at, updated_by) "
      "VALUES ($1, $2, clock_timestamp(), $3) "
      "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value, updated_at = EXCLUDED.updated_at, "
      "updated_by = EXCLUDED.updated_by",
      {std::string(key), std::string(value), std::string(operator_name)});
  append_audit_event(connection, audit_type::kConfigChange, operator_name,
                     change_json(key, old_value, value));
  transaction.commit();
  return *read_config(connection, key);
}

}  // namespace stella::host
