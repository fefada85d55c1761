// The expand step, schema 1.0 -> 1.1: the first half of the 1.0 -> 2.0 migration. It creates the
// 2.0 tables beside the 1.0 tables and copies the evidence into them in batches, leaving every 1.0
// table and row exactly as it was, so that `down` only has to drop what `up` added.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "stella/sdk/schema_step.hpp"

namespace stella_schema_expand {

namespace sdk = stella::sdk;

inline constexpr const char* kFromVersion = "1.0";
inline constexpr const char* kToVersion = "1.1";

class ExpandStep final : public sdk::SchemaStep {
 public:
  std::string from_version() const override { return kFromVersion; }
  std::string to_version() const override { return kToVersion; }

  /// expand_plan.cpp
  sdk::StepPlan plan(sdk::StepContext& ctx) override;
  /// expand_step.cpp
  void up(sdk::StepContext& ctx) override;
  void down(sdk::StepContext& ctx) override;
  /// expand_verify.cpp
  sdk::VerifyOutcome verify(sdk::StepContext& ctx) override;
};

/// The value of a NOT NULL integer column; throws sdk::Error(internal) naming `what` otherwise.
std::int64_t integer_value(const sdk::SqlValue& value, std::string_view what);

/// The store's schema version (evidence.schema_version).
std::string store_version(sdk::Database& database);

/// True when the relation named `qualified_name` ("evidence.contents") exists.
bool table_exists(sdk::Database& database, std::string_view qualified_name);

/// Every statement of `statements`, run in order.
template <std::size_t N>
void execute_all(sdk::Database& database, const char* const (&statements)[N]) {
  for (const char* statement : statements) {
    database.execute(statement);
  }
}

template <std::size_t N>
std::vector<std::string> statement_list(const char* const (&statements)[N]) {
  return std::vector<std::string>(std::begin(statements), std::end(statements));
}

}  // namespace stella_schema_expand
