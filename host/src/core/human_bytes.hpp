// Byte counts for people: "8.3 MiB".
#pragma once

#include <cstdint>
#include <string>

namespace stella::host {

/// `bytes` in the largest binary unit that keeps it at 1 or more, one decimal: "12 B", "8.3 MiB".
std::string human_bytes(std::int64_t bytes);

}  // namespace stella::host
