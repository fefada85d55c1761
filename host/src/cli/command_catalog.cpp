// The one place that lists which modules contribute verbs. Each module owns one registrar.
#include "cli/command_registrars.hpp"
#include "stella/host/cli/command.hpp"

namespace stella::host {

CommandTable build_command_table() {
  CommandTable table;
  register_plugin_commands(table);
  register_conformance_commands(table);
  register_pack_commands(table);
  register_db_commands(table);
  register_evidence_store_commands(table);
  register_audit_commands(table);
  register_migration_commands(table);
  register_reindex_commands(table);
  register_continuity_commands(table);
  register_bundle_commands(table);
  register_diagnostics_commands(table);
  return table;
}

}  // namespace stella::host
