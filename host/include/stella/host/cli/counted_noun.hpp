// "1 bundle", "2 bundles": a count and its noun for the text outputs. English plurals of the
// nouns stella counts are regular (bundle, artifact, tenant, signing key, problem).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace stella::host {

inline std::string counted(std::int64_t count, std::string_view noun) {
  return std::to_string(count) + " " + std::string(noun) + (count == 1 ? "" : "s");
}

}  // namespace stella::host
