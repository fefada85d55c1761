#include "stella/host/resources.hpp"

#include <algorithm>

namespace stella::host {

std::optional<std::string_view> find_resource(std::string_view path) {
  const auto resources = all_resources();
  const auto it = std::find_if(resources.begin(), resources.end(),
                               [&](const auto& entry) { return entry.first == path; });
  if (it == resources.end()) {
    return std::nullopt;
  }
  return it->second;
}

}  // namespace stella::host
