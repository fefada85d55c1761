// One line a person can read for an audit event — what happened, to what, with what outcome —
// for the text table of `stella evidence audit list`. The stored data stays the record: the JSON
// output and `--data` show it whole.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stella::host {

/// The summary of an event of type `event_type` whose data is the JSON object `data_json`;
/// nullopt for a type it does not know, or data without the fields the summary needs (the table
/// then shows the data itself).
std::optional<std::string> audit_event_summary(std::string_view event_type,
                                               std::string_view data_json);

}  // namespace stella::host
