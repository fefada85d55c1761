// What each audit event type must carry, and how long it is kept (the runbook's "Audit Trail
// Requirements" table, plus the tool's own types).
#pragma once

#include <string_view>

#include <rapidjson/document.h>

namespace stella::host {

/// Retention class of verification events: kept 7 years, then prunable.
inline constexpr std::string_view kRetentionSevenYears = "7y";
/// Retention class of every other event: never pruned.
inline constexpr std::string_view kRetentionPermanent = "permanent";
/// How many years a "7y" event is kept before `audit prune` may remove it.
inline constexpr int kVerificationRetentionYears = 7;

/// The retention class of an event type: "7y" for verification, "permanent" for all others.
std::string_view retention_for_type(std::string_view event_type);

/// Checks an event before it is written: the type is a lower-case identifier, the operator is not
/// empty, `data` is a JSON object, and it has every required field of its type with the right
/// kind of value. Throws sdk::Error(internal) naming the type and the missing or malformed field;
/// a failure is a bug in the code that records the event.
void validate_audit_event(std::string_view event_type, std::string_view operator_name,
                          const rapidjson::Value& data);

}  // namespace stella::host
