// Picks the StoreLayout of a schema version. Adding a version means adding its factory here.
#include "evidence/store_layout_registry.hpp"

#include <utility>

#include "evidence/row_security_check.hpp"
#include "stella/host/evidence/store_version.hpp"
#include "stella/host/migration/migration_read_guard.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

using LayoutFactory = std::unique_ptr<StoreLayout> (*)();

/// In ascending version order.
constexpr std::pair<std::string_view, LayoutFactory> kLayouts[] = {
    {"1.0", &make_store_layout_1_0},
    {"2.0", &make_store_layout_2_0},
};

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

}  // namespace

std::unique_ptr<StoreLayout> make_store_layout(std::string_view schema_version) {
  for (const auto& [version, factory] : kLayouts) {
    if (version == schema_version) {
      return factory();
    }
  }
  return nullptr;
}

std::vector<std::string> known_layout_versions() {
  std::vector<std::string> versions;
  for (const auto& [version, factory] : kLayouts) {
    versions.emplace_back(version);
  }
  return versions;
}

std::unique_ptr<StoreLayout> open_store_layout(PgConnection& connection) {
  refuse_store_use_during_migration(connection);
  return open_store_layout_during_migration(connection);
}

std::unique_ptr<StoreLayout> open_store_layout_during_migration(PgConnection& connection) {
  const auto version = detect_store_version(connection);
  if (!version) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "no evidence store in database " + database_name(connection) +
                         "; run `stella evidence init`",
                     "create the store with `stella evidence init` (and fill it with "
                     "`stella evidence seed` for a trial), or point --database at the database "
                     "that holds the store");
  }
  auto layout = make_store_layout(*version);
  if (!layout) {
    throw sdk::Error(sdk::ErrorCode::refused,
                     "the evidence store in database " + database_name(connection) +
                         " is at schema " + *version + "; this stella knows schemas " +
                         joined(known_layout_versions()),
                     "use a stella release that supports schema " + *version);
  }
  refuse_a_role_that_row_security_restricts(connection);
  return layout;
}

}  // namespace stella::host
