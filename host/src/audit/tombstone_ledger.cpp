#include "audit/tombstone_ledger.hpp"

#include <rapidjson/document.h>

#include "audit/sha256_hex.hpp"

namespace stella::host {

std::string tombstones_digest(const std::vector<TombstoneFields>& tombstones) {
  std::string lines;
  for (const TombstoneFields& t : tombstones) {
    lines += std::to_string(t.id) + ' ' + t.event_type + ' ' + t.occurred_at + ' ' + t.retention +
             ' ' + t.prev_hash + ' ' + t.hash + ' ' + t.pruned_at + '\n';
  }
  return "sha256:" + sha256_hex(lines);
}

std::optional<PruneRecord> read_prune_record(const std::string& data) {
  rapidjson::Document document;
  document.Parse(data.c_str(), data.size());
  if (document.HasParseError() || !document.IsObject()) {
    return std::nullopt;
  }
  const auto count = document.FindMember("count");
  if (count == document.MemberEnd() || !count->value.IsInt64() || count->value.GetInt64() < 0) {
    return std::nullopt;
  }
  PruneRecord record;
  record.count = count->value.GetInt64();
  for (const auto& [name, target] :
       {std::pair{"first_id", &record.first_id}, std::pair{"last_id", &record.last_id}}) {
    const auto member = document.FindMember(name);
    if (member == document.MemberEnd() || member->value.IsNull()) {
      continue;
    }
    if (!member->value.IsInt64()) {
      return std::nullopt;
    }
    *target = member->value.GetInt64();
  }
  if (const auto digest = document.FindMember("tombstones_sha256");
      digest != document.MemberEnd() && digest->value.IsString()) {
    record.tombstones_sha256 = std::string(digest->value.GetString());
  }
  return record;
}

}  // namespace stella::host
