// One line of --progress-format json on stderr: {"event": …, "task": …, and the event's own
// members}, built through RapidJSON so that a task naming a path the operator gave stays valid
// JSON.
#pragma once

#include <string>

#include <rapidjson/document.h>

#include "stella/host/json/json_write.hpp"

namespace stella::host {

/// The line, newline included; `fill(document, allocator)` adds the event's own members.
template <typename Fill>
std::string json_event_line(const char* event, const std::string& task, Fill fill) {
  rapidjson::Document document(rapidjson::kObjectType);
  auto& allocator = document.GetAllocator();
  document.AddMember("event", rapidjson::StringRef(event), allocator);
  document.AddMember("task", rapidjson::Value(task.c_str(), allocator), allocator);
  fill(document, allocator);
  return json_to_string(document, JsonLayout::compact) + '\n';
}

}  // namespace stella::host
