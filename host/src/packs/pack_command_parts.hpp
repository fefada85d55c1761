// Pieces the pack verbs share, and the verbs registered from their own files.
#pragma once

#include <filesystem>

#include <rapidjson/document.h>

#include "stella/host/cli/command.hpp"
#include "stella/host/packs/pack_verification.hpp"

namespace stella::host {

/// True for --format json, false for text or no --format; throws sdk::Error(invalid_input) for
/// anything else, naming the verb.
bool pack_output_is_json(const Invocation& invocation, const char* verb);

/// The `plugins verify --format json` report (schemas/plugin-pack-verify.schema.json).
rapidjson::Document pack_verification_json(const std::filesystem::path& archive,
                                           const PackVerification& verification);

/// `stella plugins matrix` (plugin_matrix_command.cpp).
void add_matrix_command(CommandTable& table);

}  // namespace stella::host
