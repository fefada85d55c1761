#include "contract_checkpoint.hpp"

#include "stella/sdk/error.hpp"

namespace stella_schema_contract {
namespace {

namespace sdk = stella::sdk;

constexpr std::string_view kSchemaWord = "schema";
constexpr std::string_view kArtifactsWord = "artifacts";
constexpr std::string_view kBundlesWord = "bundles";

[[noreturn]] void throw_malformed(std::string_view text) {
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "checkpoint '" + std::string(text) +
                       "' is not one the schema-1.1-to-2.0 step writes while rolling back "
                       "(expected 'schema', 'artifacts <bundle id> <path>' or 'bundles <bundle "
                       "id>')",
                   "the run was recorded by another version of the plugin; resume it with the "
                   "plugin that started it");
}

}  // namespace

std::string format_checkpoint(const RestoreCheckpoint& checkpoint) {
  switch (checkpoint.phase) {
    case RestorePhase::schema_restored:
      return std::string(kSchemaWord);
    case RestorePhase::artifacts:
      return std::string(kArtifactsWord) + ' ' + checkpoint.bundle_id + ' ' + checkpoint.path;
    case RestorePhase::bundles:
      return std::string(kBundlesWord) + ' ' + checkpoint.bundle_id;
  }
  return std::string(kSchemaWord);
}

RestoreCheckpoint parse_checkpoint(std::string_view text) {
  if (text == kSchemaWord) {
    return RestoreCheckpoint{RestorePhase::schema_restored, {}, {}};
  }
  const std::size_t first_space = text.find(' ');
  if (first_space == std::string_view::npos) {
    throw_malformed(text);
  }
  const std::string_view word = text.substr(0, first_space);
  const std::string_view rest = text.substr(first_space + 1);
  if (word == kBundlesWord && !rest.empty() && rest.find(' ') == std::string_view::npos) {
    return RestoreCheckpoint{RestorePhase::bundles, std::string(rest), {}};
  }
  if (word == kArtifactsWord) {
    const std::size_t second_space = rest.find(' ');
    if (second_space == std::string_view::npos || second_space == 0 ||
        second_space + 1 == rest.size()) {
      throw_malformed(text);
    }
    return RestoreCheckpoint{RestorePhase::artifacts, std::string(rest.substr(0, second_space)),
                             std::string(rest.substr(second_space + 1))};
  }
  throw_malformed(text);
}

}  // namespace stella_schema_contract
