#include "stella/host/packs/pack_signature.hpp"

#include <memory>

#include "packs/base64_text.hpp"
#include "stella/host/json/json_parse.hpp"
#include "stella/host/json/json_schema.hpp"
#include "stella/host/json/json_write.hpp"
#include "stella/host/packs/pack_manifest.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using DigestContext = std::unique_ptr<EVP_MD_CTX, DigestContextDeleter>;

constexpr const char* kSignatureFormat = "stella-plugin-pack-signature";
constexpr int kSignatureFormatVersion = 1;

}  // namespace

std::string sign_pack_manifest(std::string_view manifest_bytes, EVP_PKEY* private_key) {
  DigestContext context(EVP_MD_CTX_new());
  std::size_t size = 0;
  // Ed25519 signs the message itself (PureEdDSA): no separate digest, hence the null md.
  if (!context || EVP_DigestSignInit(context.get(), nullptr, nullptr, nullptr, private_key) != 1 ||
      EVP_DigestSign(context.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(manifest_bytes.data()),
                     manifest_bytes.size()) != 1) {
    throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not start an Ed25519 signature",
                     "check that --key is an Ed25519 private key from 'stella plugins keygen'");
  }
  std::string signature(size, '\0');
  if (EVP_DigestSign(context.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(manifest_bytes.data()),
                     manifest_bytes.size()) != 1) {
    throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not sign the pack manifest");
  }
  signature.resize(size);
  rapidjson::Document document(rapidjson::kObjectType);
  auto& allocator = document.GetAllocator();
  document.AddMember("format", rapidjson::StringRef(kSignatureFormat), allocator);
  document.AddMember("formatVersion", kSignatureFormatVersion, allocator);
  document.AddMember("algorithm", rapidjson::StringRef(kPackSignatureAlgorithm), allocator);
  document.AddMember("keyId", rapidjson::Value(signing_key_id(private_key), allocator), allocator);
  document.AddMember("signature", rapidjson::Value(base64_encode(signature), allocator), allocator);
  return json_to_string(document) + "\n";
}

SignatureCheck check_pack_signature(std::string_view manifest_bytes,
                                    std::string_view signature_text, const TrustedKeys& trusted,
                                    const std::string& trusted_directory) {
  SignatureCheck check;
  rapidjson::Document document;
  try {
    document = parse_json(signature_text, kPackSignatureFileName);
    require_schema_valid(document, kPackSignatureSchema, kPackSignatureFileName);
  } catch (const sdk::Error& e) {
    check.problem = e.what();
    check.remedy = "rebuild the pack with 'stella plugins pack'; a signature file is written by it";
    return check;
  }
  check.key_id = document["keyId"].GetString();
  const auto signature = base64_decode(document["signature"].GetString());
  if (!signature) {
    check.problem = "the signature is not canonical base64";
    check.remedy = "rebuild the pack with 'stella plugins pack'";
    return check;
  }
  const TrustedKey* key = trusted.find(check.key_id);
  if (key == nullptr) {
    std::string known;
    for (const auto& candidate : trusted.keys) {
      known += (known.empty() ? "" : ", ") + candidate.key_id + " (" +
               candidate.file.filename().string() + ")";
    }
    check.problem = "signed by key " + check.key_id + ", which is not among the trusted keys in " +
                    trusted_directory + " (" + (known.empty() ? "none" : known) + ")";
    check.remedy =
        "get the signer's public key from your vendor through a channel you trust and "
        "put it in the trusted-keys directory, or do not use this pack";
    return check;
  }
  DigestContext context(EVP_MD_CTX_new());
  if (!context ||
      EVP_DigestVerifyInit(context.get(), nullptr, nullptr, nullptr, key->key.get()) != 1) {
    check.problem = "OpenSSL could not start an Ed25519 verification";
    check.remedy = "check the OpenSSL installation";
    return check;
  }
  const int verified = EVP_DigestVerify(
      context.get(), reinterpret_cast<const unsigned char*>(signature->data()), signature->size(),
      reinterpret_cast<const unsigned char*>(manifest_bytes.data()), manifest_bytes.size());
  if (verified != 1) {
    check.problem = "the Ed25519 signature by " + check.key_id + " (" +
                    key->file.filename().string() + ") does not match the bytes of " +
                    kPackManifestFileName +
                    ": it was changed after signing, or signed by "
                    "another key";
    check.remedy = "do not use this pack: get an untampered copy from your vendor";
  }
  return check;
}

}  // namespace stella::host
