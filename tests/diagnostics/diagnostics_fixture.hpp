// Helpers shared by the diagnostics tests: JSON runs of the real CLI, and problems by name.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <rapidjson/document.h>

#include "evidence_store/evidence_store_fixture.hpp"

namespace stella::test {

/// `stella --format json <args>` with the expected exit code, its stdout checked against `schema`.
rapidjson::Document json_run(const EvidenceStore& store, std::vector<std::string> args,
                             int expected_exit, const char* schema);

/// The value of a string member, or "" when absent.
std::string member(const rapidjson::Value& object, const char* name);

/// True when `list` has an element whose members equal every (name, value) in `match`.
bool has_item(const rapidjson::Value& list, const std::map<std::string, std::string>& match);

/// The environment that makes the runbook's `stella` the built one, on the store's database.
std::map<std::string, std::string> runbook_environment(const EvidenceStore& store);

/// Runs tools/make-attestor-sample.sh on the store's database; fails the test when it fails.
void make_attestor_sample(const EvidenceStore& store);

}  // namespace stella::test
