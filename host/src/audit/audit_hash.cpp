#include "stella/host/audit/audit_hash.hpp"

#include "audit/sha256_hex.hpp"

namespace stella::host {

std::string audit_occurred_at_sql(std::string_view column) {
  // AT TIME ZONE 'UTC' makes the text independent of the session's TimeZone setting; US prints
  // all six fraction digits, the full resolution of timestamptz.
  return "to_char((" + std::string(column) +
         ") AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')";
}

std::string audit_event_hash(std::string_view prev_hash, const AuditEventContent& content) {
  constexpr char kSeparator = '\0';
  std::string canonical;
  canonical.reserve(prev_hash.size() + content.occurred_at.size() + content.event_type.size() +
                    content.operator_name.size() + content.retention.size() + content.data.size() +
                    32);
  canonical.append(prev_hash);
  canonical += kSeparator;
  canonical += std::to_string(content.id);
  canonical += kSeparator;
  canonical += content.occurred_at;
  canonical += kSeparator;
  canonical += content.event_type;
  canonical += kSeparator;
  canonical += content.operator_name;
  canonical += kSeparator;
  canonical += content.retention;
  canonical += kSeparator;
  canonical += content.data;
  return std::string(kAuditHashPrefix) + sha256_hex(canonical);
}

}  // namespace stella::host
