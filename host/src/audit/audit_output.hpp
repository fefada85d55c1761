// How `stella evidence audit` prints its results: text for people, JSON for scripts (the JSON
// layouts are schemas/audit-list.schema.json, audit-verify.schema.json, audit-prune.schema.json).
#pragma once

#include <ostream>
#include <string>

#include "stella/host/audit/audit_chain_verifier.hpp"
#include "stella/host/audit/audit_event_list.hpp"
#include "stella/host/audit/audit_prune.hpp"

namespace stella::host {

/// What the last column of the text table of events shows. Zero is not a valid value.
enum class EventColumn {
  /// A line a person reads (audit_event_summary.hpp); the stored data where there is none.
  summary = 1,
  /// The stored data, as PostgreSQL renders the jsonb.
  stored_data = 2
};

/// The column titles of the text table of events.
void write_event_table_header(std::ostream& out, EventColumn last);
/// One event as a row of the text table.
void write_event_table_row(std::ostream& out, const AuditEvent& event, EventColumn last);
/// One event as a one-line JSON object (an element of the list array).
std::string audit_event_json(const AuditEvent& event);

void write_verify_text(std::ostream& out, const AuditChainReport& report);
std::string audit_verify_json(const AuditChainReport& report);

void write_prune_text(std::ostream& out, const AuditPruneResult& result);
std::string audit_prune_json(const AuditPruneResult& result);

}  // namespace stella::host
