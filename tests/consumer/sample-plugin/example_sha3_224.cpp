// A complete reindexer plugin: SHA3-224 through OpenSSL EVP.
#include <openssl/evp.h>

#include <memory>
#include <string>

#include <stella/sdk/sdk.hpp>

namespace {

namespace sdk = stella::sdk;

constexpr std::size_t kSha3_224Bytes = 28;

struct FreeContext {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

/// One incremental hash; used by one thread at a time (the SDK's rule for HashState).
class Sha3State final : public sdk::HashState {
 public:
  Sha3State() : context_(EVP_MD_CTX_new()) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha3_224(), nullptr) != 1) {
      throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not start SHA3-224",
                       "check the OpenSSL 3 installation");
    }
  }
  void update(sdk::ByteView bytes) override {
    if (EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size()) != 1) {
      throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL SHA3-224 update failed");
    }
  }
  sdk::DigestBytes finish() override {
    sdk::DigestBytes digest(kSha3_224Bytes);
    unsigned int length = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &length) != 1 ||
        length != kSha3_224Bytes) {
      throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL SHA3-224 final failed");
    }
    return digest;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, FreeContext> context_;
};

/// The plugin object. Stateless, so every const method is safe from several threads at once.
class Sha3_224Reindexer final : public sdk::Reindexer {
 public:
  std::string algorithm_id() const override { return "sha3-224"; }
  std::size_t digest_size() const override { return kSha3_224Bytes; }
  std::unique_ptr<sdk::HashState> start() const override { return std::make_unique<Sha3State>(); }
};

sdk::Plugin* create() {
  return new Sha3_224Reindexer();
}

/// The descriptor: the same id, version and kind as manifest.json, the SDK's ABI version.
const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, "example-sha3-224", "1.0.0",
                                                sdk::PluginKind::reindexer, &create};
  return descriptor;
}

}  // namespace

STELLA_PLUGIN_EXPORT(describe)
