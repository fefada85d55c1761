#include "store/session_settings.hpp"

namespace stella::host {
namespace {

/// idle_session_timeout arrived in PostgreSQL 14.
constexpr int kIdleSessionTimeoutSince = 140000;

}  // namespace

std::string session_settings_script(int server_version) {
  std::string script =
      // NOTICEs ("table does not exist, skipping") are not errors and would clutter stderr.
      "SET client_min_messages = warning;"
      // The schema SQL writes regular expressions with backslashes in ordinary string literals;
      // with this off they lose their backslashes and init creates broken CHECK constraints.
      "SET standard_conforming_strings = on;"
      // Migrations, verifications and reindex wait for locks by design and show who blocks them
      // (`migrate --status`); a role's guard rail would cancel them half-way instead. Where a wait
      // must be bounded, the statement sets its own (SET LOCAL lock_timeout, docs/reindex.md).
      "SET lock_timeout = 0;"
      "SET statement_timeout = 0;"
      // The migration lock is held by a session that stays idle for the whole run; a batch
      // worker sets its own lease (docs/reindex.md) after this.
      "SET idle_in_transaction_session_timeout = 0;";
  if (server_version >= kIdleSessionTimeoutSince) {
    script += "SET idle_session_timeout = 0;";
  }
  return script;
}

}  // namespace stella::host
