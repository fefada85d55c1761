// Standard base64 (RFC 4648 §4, with padding), as DSSE envelopes use it.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace stella::host {

std::string base64_encode(std::string_view bytes);

/// The decoded bytes, or nullopt when `text` is not canonical padded base64. DSSE also allows the
/// URL-safe alphabet; both are accepted.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace stella::host
