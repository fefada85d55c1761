// Plans as JSON (schemas/migration-plan.schema.json) and as text for people. `migrate --dry-run
// --output F` writes the JSON; `migrate --plan F` reads it back and executes exactly that plan.
#pragma once

#include <filesystem>
#include <iosfwd>
#include <string>
#include <string_view>

#include <rapidjson/document.h>

#include "stella/host/migration/migration_plan.hpp"

namespace stella::host {

/// The embedded JSON Schema a plan file must match.
inline constexpr const char* kMigrationPlanSchema = "migration-plan.schema.json";
/// The value of the plan's "format" member, and its version.
inline constexpr const char* kMigrationPlanFormat = "stella-migration-plan";
inline constexpr int kMigrationPlanFormatVersion = 1;

/// The plan as a JSON document (keys in camelCase, as every JSON file of the tool).
rapidjson::Document plan_to_json(const MigrationPlan& plan);
/// The plan as pretty JSON text.
std::string plan_to_json_text(const MigrationPlan& plan);

/// A store state as a JSON object (the plan's "store"; also what a run records).
void store_state_to_json(const StoreState& state, rapidjson::Value& object,
                         rapidjson::Document::AllocatorType& allocator);
std::string store_state_to_json_text(const StoreState& state);
/// Reads a store state object; throws sdk::Error(invalid_input) naming `origin` when it is not one.
StoreState store_state_from_json(const rapidjson::Value& object, std::string_view origin);
StoreState store_state_from_json_text(std::string_view text, std::string_view origin);

/// Parses a plan and checks it against the schema; throws sdk::Error(invalid_input) naming
/// `origin` and what is wrong.
MigrationPlan plan_from_json_text(std::string_view text, std::string_view origin);
/// Reads a plan file (plan_from_json_text); a missing or unreadable file is invalid_input too.
MigrationPlan read_plan_file(const std::filesystem::path& path);
/// Writes the plan's JSON to `path` (replacing it atomically).
void write_plan_file(const MigrationPlan& plan, const std::filesystem::path& path);

/// The plan for a person: steps, plugins, actions with rows, locks, batching and estimates,
/// and the store state it was made against. Statements are listed by their first line.
void write_plan_text(std::ostream& out, const MigrationPlan& plan);

}  // namespace stella::host
