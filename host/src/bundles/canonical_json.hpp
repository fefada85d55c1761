// One spelling of a JSON value, so that the same attestation compares equal whatever whitespace
// and member order it arrived with (PostgreSQL's jsonb reorders members; a hand-written object
// store may indent).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stella::host {

/// `json` with objects' members sorted by name (bytewise) and no insignificant whitespace;
/// nullopt when `json` is not valid JSON.
std::optional<std::string> canonical_json(std::string_view json);

}  // namespace stella::host
