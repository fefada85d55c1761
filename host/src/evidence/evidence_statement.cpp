// Writing and reading the in-toto Statement of an evidence bundle.
#include "stella/host/evidence/evidence_statement.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "stella/sdk/error.hpp"
#include "stella/sdk/json_nesting.hpp"

namespace stella::host {
namespace {

[[noreturn]] void bad_statement(const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::invalid_input, "in-toto Statement " + what,
                   "the attestation payload was altered or written by another tool");
}

const rapidjson::Value& member(const rapidjson::Value& object, const char* name,
                               const std::string& where) {
  const auto found = object.FindMember(name);
  if (found == object.MemberEnd()) {
    bad_statement(where + " has no member '" + name + "'");
  }
  return found->value;
}

std::string string_member(const rapidjson::Value& object, const char* name,
                          const std::string& where) {
  const rapidjson::Value& value = member(object, name, where);
  if (!value.IsString()) {
    bad_statement(where + "." + name + " is not a string");
  }
  return std::string(value.GetString(), value.GetStringLength());
}

std::uint64_t count_member(const rapidjson::Value& object, const char* name,
                           const std::string& where) {
  const rapidjson::Value& value = member(object, name, where);
  if (!value.IsUint64()) {
    bad_statement(where + "." + name + " is not a non-negative integer");
  }
  return value.GetUint64();
}

}  // namespace

std::string evidence_statement_to_json(const EvidenceStatement& statement) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("_type");
  writer.String(kInTotoStatementType);
  writer.Key("subject");
  writer.StartArray();
  for (const StatementSubject& subject : statement.subjects) {
    writer.StartObject();
    writer.Key("name");
    writer.String(subject.name);
    writer.Key("digest");
    writer.StartObject();
    writer.Key(subject.algorithm.c_str(),
               static_cast<rapidjson::SizeType>(subject.algorithm.size()));
    writer.String(subject.hex);
    writer.EndObject();
    writer.EndObject();
  }
  writer.EndArray();
  writer.Key("predicateType");
  writer.String(kEvidenceBundlePredicateType);
  writer.Key("predicate");
  writer.StartObject();
  writer.Key("tenant");
  writer.String(statement.tenant);
  writer.Key("bundleId");
  writer.String(statement.bundle_id);
  writer.Key("kind");
  writer.String(statement.kind);
  writer.Key("sealedAt");
  writer.String(statement.sealed_at);
  writer.Key("artifactCount");
  writer.Uint64(statement.subjects.size());
  writer.EndObject();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

EvidenceStatement parse_evidence_statement(std::string_view json) {
  if (sdk::json_nesting_depth(json) > sdk::kMaxJsonNesting) {
    bad_statement("nests deeper than " + std::to_string(sdk::kMaxJsonNesting) + " levels");
  }
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    bad_statement(std::string("is not valid JSON at offset ") +
                  std::to_string(document.GetErrorOffset()) + ": " +
                  rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject()) {
    bad_statement("is not a JSON object");
  }
  const std::string type = string_member(document, "_type", "statement");
  if (type != kInTotoStatementType) {
    bad_statement("has _type '" + type + "'; expected '" + kInTotoStatementType + "'");
  }
  const std::string predicate_type = string_member(document, "predicateType", "statement");
  if (predicate_type != kEvidenceBundlePredicateType) {
    bad_statement("has predicateType '" + predicate_type + "'; expected '" +
                  kEvidenceBundlePredicateType + "'");
  }
  EvidenceStatement statement;
  const rapidjson::Value& subjects = member(document, "subject", "statement");
  if (!subjects.IsArray()) {
    bad_statement("member 'subject' is not an array");
  }
  for (rapidjson::SizeType i = 0; i < subjects.Size(); ++i) {
    const std::string where = "subject[" + std::to_string(i) + "]";
    const rapidjson::Value& subject = subjects[i];
    if (!subject.IsObject()) {
      bad_statement(where + " is not an object");
    }
    const std::string name = string_member(subject, "name", where);
    const rapidjson::Value& digests = member(subject, "digest", where);
    if (!digests.IsObject() || digests.MemberCount() == 0) {
      bad_statement(where + ".digest is not a non-empty object");
    }
    for (auto digest = digests.MemberBegin(); digest != digests.MemberEnd(); ++digest) {
      if (!digest->value.IsString()) {
        bad_statement(where + ".digest." + digest->name.GetString() + " is not a string");
      }
      statement.subjects.push_back(
          StatementSubject{name, digest->name.GetString(), digest->value.GetString()});
    }
  }
  const rapidjson::Value& predicate = member(document, "predicate", "statement");
  if (!predicate.IsObject()) {
    bad_statement("member 'predicate' is not an object");
  }
  statement.tenant = string_member(predicate, "tenant", "predicate");
  statement.bundle_id = string_member(predicate, "bundleId", "predicate");
  statement.kind = string_member(predicate, "kind", "predicate");
  statement.sealed_at = string_member(predicate, "sealedAt", "predicate");
  statement.artifact_count = count_member(predicate, "artifactCount", "predicate");
  return statement;
}

}  // namespace stella::host
