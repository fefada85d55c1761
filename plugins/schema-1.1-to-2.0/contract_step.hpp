// The contract step, schema 1.1 -> 2.0: the second half of the 1.0 -> 2.0 migration. Up is one
// transaction of catalog changes (the expand step already copied the data); down rebuilds the 1.0
// tables and columns from the 2.0 data in batches, so that a rolled-back store holds exactly the
// rows it held before the migration.
#pragma once

#include <cstdint>
#include <iterator>
#include <string>
#include <string_view>
#include <vector>

#include "stella/sdk/schema_step.hpp"

namespace stella_schema_contract {

namespace sdk = stella::sdk;

inline constexpr const char* kFromVersion = "1.1";
inline constexpr const char* kToVersion = "2.0";

class ContractStep final : public sdk::SchemaStep {
 public:
  std::string from_version() const override { return kFromVersion; }
  std::string to_version() const override { return kToVersion; }

  /// contract_plan.cpp
  sdk::StepPlan plan(sdk::StepContext& ctx) override;
  /// contract_step.cpp
  void up(sdk::StepContext& ctx) override;
  void down(sdk::StepContext& ctx) override;
  /// contract_verify.cpp
  sdk::VerifyOutcome verify(sdk::StepContext& ctx) override;
};

/// The value of a NOT NULL integer column; throws sdk::Error(internal) naming `what` otherwise.
std::int64_t integer_value(const sdk::SqlValue& value, std::string_view what);

/// The store's schema version (evidence.schema_version).
std::string store_version(sdk::Database& database);

/// True when the relation named `qualified_name` ("evidence.artifacts_next") exists.
bool table_exists(sdk::Database& database, std::string_view qualified_name);

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

}  // namespace stella_schema_contract
