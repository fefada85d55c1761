// DSSE pre-authentication encoding and the envelope's JSON form.
#include "stella/host/evidence/dsse_envelope.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include "stella/host/evidence/base64.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/json_nesting.hpp"

namespace stella::host {
namespace {

constexpr std::string_view kPaePrefix = "DSSEv1";

[[noreturn]] void bad_envelope(const std::string& what) {
  throw sdk::Error(sdk::ErrorCode::invalid_input, "DSSE envelope " + what,
                   "the attestation is not a valid DSSE envelope: it was altered or written by "
                   "another tool");
}

std::string string_member(const rapidjson::Value& object, const char* name,
                          const std::string& where) {
  const auto member = object.FindMember(name);
  if (member == object.MemberEnd() || !member->value.IsString()) {
    bad_envelope(where + " has no string member '" + name + "'");
  }
  return std::string(member->value.GetString(), member->value.GetStringLength());
}

std::string decoded(const std::string& text, const std::string& what) {
  auto bytes = base64_decode(text);
  if (!bytes) {
    bad_envelope(what + " is not valid base64");
  }
  return std::move(*bytes);
}

}  // namespace

std::string dsse_pae(std::string_view payload_type, std::string_view payload) {
  std::string pae;
  pae.reserve(kPaePrefix.size() + payload_type.size() + payload.size() + 32);
  pae.append(kPaePrefix);
  pae.push_back(' ');
  pae.append(std::to_string(payload_type.size()));
  pae.push_back(' ');
  pae.append(payload_type);
  pae.push_back(' ');
  pae.append(std::to_string(payload.size()));
  pae.push_back(' ');
  pae.append(payload);
  return pae;
}

std::string dsse_envelope_to_json(const DsseEnvelope& envelope) {
  rapidjson::StringBuffer buffer;
  rapidjson::Writer<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key("payloadType");
  writer.String(envelope.payload_type.data(),
                static_cast<rapidjson::SizeType>(envelope.payload_type.size()));
  writer.Key("payload");
  writer.String(base64_encode(envelope.payload));
  writer.Key("signatures");
  writer.StartArray();
  for (const DsseSignature& signature : envelope.signatures) {
    writer.StartObject();
    writer.Key("keyid");
    writer.String(signature.key_id);
    writer.Key("sig");
    writer.String(base64_encode(signature.signature));
    writer.EndObject();
  }
  writer.EndArray();
  writer.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

DsseEnvelope parse_dsse_envelope(std::string_view json) {
  if (sdk::json_nesting_depth(json) > sdk::kMaxJsonNesting) {
    bad_envelope("nests deeper than " + std::to_string(sdk::kMaxJsonNesting) + " levels");
  }
  rapidjson::Document document;
  document.Parse(json.data(), json.size());
  if (document.HasParseError()) {
    bad_envelope(std::string("is not valid JSON at offset ") +
                 std::to_string(document.GetErrorOffset()) + ": " +
                 rapidjson::GetParseError_En(document.GetParseError()));
  }
  if (!document.IsObject()) {
    bad_envelope("is not a JSON object");
  }
  DsseEnvelope envelope;
  envelope.payload_type = string_member(document, "payloadType", "envelope");
  envelope.payload = decoded(string_member(document, "payload", "envelope"), "payload");
  const auto signatures = document.FindMember("signatures");
  if (signatures == document.MemberEnd() || !signatures->value.IsArray()) {
    bad_envelope("has no array member 'signatures'");
  }
  for (rapidjson::SizeType i = 0; i < signatures->value.Size(); ++i) {
    const rapidjson::Value& entry = signatures->value[i];
    const std::string where = "signatures[" + std::to_string(i) + "]";
    if (!entry.IsObject()) {
      bad_envelope(where + " is not an object");
    }
    DsseSignature signature;
    // keyid is optional in DSSE; without it the signature can match no stored key.
    const auto key_id = entry.FindMember("keyid");
    if (key_id != entry.MemberEnd() && key_id->value.IsString()) {
      signature.key_id = key_id->value.GetString();
    }
    signature.signature = decoded(string_member(entry, "sig", where), where + ".sig");
    envelope.signatures.push_back(std::move(signature));
  }
  return envelope;
}

}  // namespace stella::host
