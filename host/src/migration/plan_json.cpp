// Plans and store states to and from JSON (schemas/migration-plan.schema.json).
#include <utility>

#include "stella/host/evidence/atomic_file.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/migration/plan_file.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

using Allocator = rapidjson::Document::AllocatorType;

rapidjson::Value text(const std::string& value, Allocator& allocator) {
  return rapidjson::Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), allocator);
}

rapidjson::Value text_array(const std::vector<std::string>& values, Allocator& allocator) {
  rapidjson::Value array(rapidjson::kArrayType);
  for (const auto& value : values) {
    array.PushBack(text(value, allocator), allocator);
  }
  return array;
}

void add(rapidjson::Value& object, const char* key, rapidjson::Value value, Allocator& allocator) {
  object.AddMember(rapidjson::StringRef(key), value, allocator);
}

rapidjson::Value action_to_json(const sdk::PlannedAction& action, Allocator& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  add(object, "description", text(action.description, allocator), allocator);
  add(object, "statements", text_array(action.statements, allocator), allocator);
  add(object, "rowsAffected", rapidjson::Value(static_cast<std::int64_t>(action.rows_affected)),
      allocator);
  add(object, "locks", text_array(action.locks, allocator), allocator);
  add(object, "batched", rapidjson::Value(action.batched), allocator);
  add(object, "estimatedSeconds", rapidjson::Value(action.estimated_seconds), allocator);
  return object;
}

rapidjson::Value step_to_json(const PlannedStep& step, Allocator& allocator) {
  rapidjson::Value object(rapidjson::kObjectType);
  add(object, "ordinal", rapidjson::Value(step.ordinal), allocator);
  add(object, "pluginId", text(step.plugin_id, allocator), allocator);
  add(object, "pluginVersion", text(step.plugin_version, allocator), allocator);
  add(object, "libraryDigest", text(step.library_digest, allocator), allocator);
  add(object, "libraryFile", text(step.library_file, allocator), allocator);
  add(object, "fromVersion", text(step.from_version, allocator), allocator);
  add(object, "toVersion", text(step.to_version, allocator), allocator);
  add(object, "capabilities", text_array(step.capabilities, allocator), allocator);
  add(object, "estimatedSeconds", rapidjson::Value(step.estimated_seconds()), allocator);
  rapidjson::Value actions(rapidjson::kArrayType);
  for (const auto& action : step.actions) {
    actions.PushBack(action_to_json(action, allocator), allocator);
  }
  add(object, "actions", std::move(actions), allocator);
  return object;
}

// Reading: the document has passed the schema, so members exist with the right types; these
// helpers only convert.
std::string get_text(const rapidjson::Value& object, const char* key) {
  const rapidjson::Value& value = object[key];
  return std::string(value.GetString(), value.GetStringLength());
}

std::vector<std::string> get_texts(const rapidjson::Value& object, const char* key) {
  std::vector<std::string> values;
  for (const auto& item : object[key].GetArray()) {
    values.emplace_back(item.GetString(), item.GetStringLength());
  }
  return values;
}

void require_members(const rapidjson::Value& object, std::string_view origin,
                     std::initializer_list<const char*> keys) {
  if (!object.IsObject()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string(origin) + ": the store state is not a JSON object");
  }
  for (const char* key : keys) {
    if (!object.HasMember(key)) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       std::string(origin) + ": the store state has no \"" + key + "\"");
    }
  }
}

}  // namespace

void store_state_to_json(const StoreState& state, rapidjson::Value& object, Allocator& allocator) {
  object.SetObject();
  add(object, "database", text(state.database, allocator), allocator);
  add(object, "schemaVersion", text(state.schema_version, allocator), allocator);
  add(object, "generation", rapidjson::Value(state.generation), allocator);
  add(object, "algorithm", text(state.algorithm, allocator), allocator);
  add(object, "globalRoot", text(state.global_root, allocator), allocator);
  add(object, "storedGlobalRoot", text(state.stored_global_root, allocator), allocator);
  add(object, "tenantCount", rapidjson::Value(static_cast<std::int64_t>(state.tenant_count)),
      allocator);
  add(object, "bundleCount", rapidjson::Value(static_cast<std::int64_t>(state.bundle_count)),
      allocator);
  add(object, "artifactCount", rapidjson::Value(static_cast<std::int64_t>(state.artifact_count)),
      allocator);
  rapidjson::Value tenants(rapidjson::kArrayType);
  for (const TenantRootState& tenant : state.tenants) {
    rapidjson::Value entry(rapidjson::kObjectType);
    add(entry, "tenant", text(tenant.tenant, allocator), allocator);
    add(entry, "root", text(tenant.root, allocator), allocator);
    tenants.PushBack(entry, allocator);
  }
  add(object, "tenants", std::move(tenants), allocator);
  add(object, "capturedAt", text(state.captured_at, allocator), allocator);
}

std::string store_state_to_json_text(const StoreState& state) {
  rapidjson::Document document;
  store_state_to_json(state, document, document.GetAllocator());
  return json_to_string(document, JsonLayout::compact);
}

StoreState store_state_from_json(const rapidjson::Value& object, std::string_view origin) {
  require_members(
      object, origin,
      {"database", "schemaVersion", "generation", "algorithm", "globalRoot", "storedGlobalRoot",
       "tenantCount", "bundleCount", "artifactCount", "tenants", "capturedAt"});
  StoreState state;
  try {
    state.database = get_text(object, "database");
    state.schema_version = get_text(object, "schemaVersion");
    state.generation = object["generation"].GetInt();
    state.algorithm = get_text(object, "algorithm");
    state.global_root = get_text(object, "globalRoot");
    state.stored_global_root = get_text(object, "storedGlobalRoot");
    state.tenant_count = object["tenantCount"].GetInt64();
    state.bundle_count = object["bundleCount"].GetInt64();
    state.artifact_count = object["artifactCount"].GetInt64();
    state.captured_at = get_text(object, "capturedAt");
    for (const auto& tenant : object["tenants"].GetArray()) {
      state.tenants.push_back(
          TenantRootState{get_text(tenant, "tenant"), get_text(tenant, "root")});
    }
  } catch (const std::exception&) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string(origin) + ": the store state has a member of the wrong type");
  }
  return state;
}

StoreState store_state_from_json_text(std::string_view text, std::string_view origin) {
  const rapidjson::Document document = parse_json(text, origin);
  return store_state_from_json(document, origin);
}

rapidjson::Document plan_to_json(const MigrationPlan& plan) {
  rapidjson::Document document;
  document.SetObject();
  Allocator& allocator = document.GetAllocator();
  add(document, "format", text(kMigrationPlanFormat, allocator), allocator);
  add(document, "formatVersion", rapidjson::Value(kMigrationPlanFormatVersion), allocator);
  add(document, "createdAt", text(plan.created_at, allocator), allocator);
  add(document, "createdBy", text(plan.created_by, allocator), allocator);
  add(document, "stellaVersion", text(plan.stella_version, allocator), allocator);
  add(document, "fromVersion", text(plan.from_version, allocator), allocator);
  add(document, "toVersion", text(plan.to_version, allocator), allocator);
  add(document, "batchSize", rapidjson::Value(static_cast<std::int64_t>(plan.batch_size)),
      allocator);
  add(document, "estimatedSeconds", rapidjson::Value(plan.estimated_seconds()), allocator);
  rapidjson::Value store;
  store_state_to_json(plan.store, store, allocator);
  add(document, "store", std::move(store), allocator);
  if (plan.space) {
    rapidjson::Value space(rapidjson::kObjectType);
    add(space, "evidenceBytes", rapidjson::Value(plan.space->evidence_bytes), allocator);
    add(space, "freeBytes",
        plan.space->free_bytes ? rapidjson::Value(*plan.space->free_bytes) : rapidjson::Value(),
        allocator);
    add(document, "space", std::move(space), allocator);
  }
  rapidjson::Value steps(rapidjson::kArrayType);
  for (const PlannedStep& step : plan.steps) {
    steps.PushBack(step_to_json(step, allocator), allocator);
  }
  add(document, "steps", std::move(steps), allocator);
  return document;
}

std::string plan_to_json_text(const MigrationPlan& plan) {
  return json_to_string(plan_to_json(plan), JsonLayout::pretty);
}

MigrationPlan plan_from_json_text(std::string_view json_text, std::string_view origin) {
  const rapidjson::Document document = parse_json(json_text, origin);
  require_schema_valid(document, kMigrationPlanSchema, origin);
  MigrationPlan plan;
  plan.created_at = get_text(document, "createdAt");
  plan.created_by = get_text(document, "createdBy");
  plan.stella_version = get_text(document, "stellaVersion");
  plan.from_version = get_text(document, "fromVersion");
  plan.to_version = get_text(document, "toVersion");
  plan.batch_size = document["batchSize"].GetInt64();
  plan.store = store_state_from_json(document["store"], origin);
  if (document.HasMember("space")) {
    const rapidjson::Value& space = document["space"];
    StoreSpace recorded;
    recorded.evidence_bytes = space["evidenceBytes"].GetInt64();
    if (space["freeBytes"].IsInt64()) {
      recorded.free_bytes = space["freeBytes"].GetInt64();
    }
    plan.space = recorded;
  }
  for (const auto& item : document["steps"].GetArray()) {
    PlannedStep step;
    step.ordinal = item["ordinal"].GetInt();
    step.plugin_id = get_text(item, "pluginId");
    step.plugin_version = get_text(item, "pluginVersion");
    step.library_digest = get_text(item, "libraryDigest");
    step.library_file = get_text(item, "libraryFile");
    step.from_version = get_text(item, "fromVersion");
    step.to_version = get_text(item, "toVersion");
    step.capabilities = get_texts(item, "capabilities");
    for (const auto& entry : item["actions"].GetArray()) {
      sdk::PlannedAction action;
      action.description = get_text(entry, "description");
      action.statements = get_texts(entry, "statements");
      action.rows_affected = entry["rowsAffected"].GetInt64();
      action.locks = get_texts(entry, "locks");
      action.batched = entry["batched"].GetBool();
      action.estimated_seconds = entry["estimatedSeconds"].GetDouble();
      step.actions.push_back(std::move(action));
    }
    plan.steps.push_back(std::move(step));
  }
  // The chain must be whole: step n starts where step n-1 ended, from fromVersion to toVersion.
  std::string at = plan.from_version;
  int expected_ordinal = 0;
  for (const PlannedStep& step : plan.steps) {
    if (step.ordinal != ++expected_ordinal || step.from_version != at) {
      throw sdk::Error(sdk::ErrorCode::invalid_input,
                       std::string(origin) + ": step " + std::to_string(step.ordinal) + " (" +
                           step.plugin_id + ") goes " + step.from_version + " \u2192 " +
                           step.to_version + ", but the plan is at " + at +
                           " there (expected step " + std::to_string(expected_ordinal) +
                           " to start at " + at + ")",
                       "make the plan again with `stella evidence migrate --dry-run --output F`");
    }
    at = step.to_version;
  }
  if (at != plan.to_version || plan.store.schema_version != plan.from_version) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     std::string(origin) + ": the plan's steps lead from " + plan.from_version +
                         " to " + at + " on a store at " + plan.store.schema_version +
                         ", but it says " + plan.from_version + " \u2192 " + plan.to_version,
                     "make the plan again with `stella evidence migrate --dry-run --output F`");
  }
  return plan;
}

MigrationPlan read_plan_file(const std::filesystem::path& path) {
  const rapidjson::Document document = parse_json_file(path);
  return plan_from_json_text(json_to_string(document, JsonLayout::compact), path.string());
}

void write_plan_file(const MigrationPlan& plan, const std::filesystem::path& path) {
  write_file_atomically(path, plan_to_json_text(plan) + "\n");
}

}  // namespace stella::host
