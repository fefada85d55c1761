// DSSE envelopes (Dead Simple Signing Envelope, secure-systems-lab/dsse, protocol v1): the
// pre-authentication encoding that is signed, and the JSON envelope.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace stella::host {

/// The payload type of an in-toto Statement.
inline constexpr const char* kInTotoPayloadType = "application/vnd.in-toto+json";

/// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, with LEN the byte length
/// in ASCII decimal: the exact bytes a DSSE signature covers.
std::string dsse_pae(std::string_view payload_type, std::string_view payload);

struct DsseSignature {
  std::string key_id;
  /// Raw signature bytes (base64 only inside the JSON).
  std::string signature;
};

struct DsseEnvelope {
  std::string payload_type;
  /// The decoded payload bytes.
  std::string payload;
  std::vector<DsseSignature> signatures;
};

/// {"payloadType": ..., "payload": base64, "signatures": [{"keyid": ..., "sig": base64}]}
std::string dsse_envelope_to_json(const DsseEnvelope& envelope);

/// Parses an envelope. Throws sdk::Error(invalid_input) naming the member that is missing, of the
/// wrong type, or not valid base64.
DsseEnvelope parse_dsse_envelope(std::string_view json);

}  // namespace stella::host
