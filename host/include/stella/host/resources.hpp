// Files from schemas/ embedded into the host at build time.
#pragma once

#include <optional>
#include <span>
#include <string_view>
#include <utility>

namespace stella::host {

/// Every embedded file as (path relative to schemas/, content), sorted by path.
std::span<const std::pair<std::string_view, std::string_view>> all_resources();

/// The content of one embedded file ("plugin-manifest.schema.json", "sql/1.0/001_schema.sql"),
/// or nullopt when there is none of that name.
std::optional<std::string_view> find_resource(std::string_view path);

}  // namespace stella::host
