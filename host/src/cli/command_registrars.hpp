// Registrars: each module of the host adds its verbs to the command table in one function.
#pragma once

#include "stella/host/cli/command.hpp"

namespace stella::host {

/// stella plugins list|inspect|... (host/src/plugins)
void register_plugin_commands(CommandTable& table);

/// stella plugins test (host/src/conformance)
void register_conformance_commands(CommandTable& table);

/// stella plugins keygen|pack|verify|install|matrix (host/src/packs)
void register_pack_commands(CommandTable& table);

/// stella db status|start|stop|url|env (host/src/store)
void register_db_commands(CommandTable& table);

/// stella evidence init|seed|stats|roots-export|verify-all (host/src/evidence)
void register_evidence_store_commands(CommandTable& table);

/// stella evidence audit list|verify|prune (host/src/audit)
void register_audit_commands(CommandTable& table);

/// stella evidence reindex, stella evidence config get|set (host/src/reindex)
void register_reindex_commands(CommandTable& table);

/// stella evidence verify-continuity (host/src/continuity)
void register_continuity_commands(CommandTable& table);

/// stella evidence migrate (host/src/migration)
void register_migration_commands(CommandTable& table);

/// stella evidence export|import|verify-bundle (host/src/bundles)
void register_bundle_commands(CommandTable& table);

/// stella evidence integrity-check|orphans|reconcile (host/src/diagnostics)
void register_diagnostics_commands(CommandTable& table);

}  // namespace stella::host
