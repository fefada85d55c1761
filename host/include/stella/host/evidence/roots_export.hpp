// `stella evidence roots-export`: the stored roots, for the custody log and for comparison after a
// migration. JSON layout: schemas/roots-export.schema.json.
#pragma once

#include <string>
#include <vector>

#include "stella/host/evidence/store_layout.hpp"

namespace stella::host {

struct RootsExport {
  std::string schema_version;
  std::string database;
  std::string generated_at;
  StoredRoots roots;
};

/// Reads the active generation's stored roots; with `tenants` non-empty, keeps only those tenants
/// (the global root stays the store's). Throws sdk::Error(invalid_input) naming a tenant the store
/// does not have (and the ones it has), sdk::Error(refused) when the store holds no global root.
RootsExport collect_roots_export(PgConnection& connection, const StoreLayout& layout,
                                 const std::vector<std::string>& tenants);

std::string roots_export_to_json(const RootsExport& roots);
std::string roots_export_to_text(const RootsExport& roots);

}  // namespace stella::host
