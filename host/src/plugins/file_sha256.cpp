#include "plugins/file_sha256.hpp"

#include <openssl/evp.h>

#include <array>
#include <fstream>
#include <memory>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::size_t kChunkBytes = 64 * 1024;

struct DigestContextDeleter {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

[[noreturn]] void openssl_failed(const std::filesystem::path& path) {
  throw sdk::Error(sdk::ErrorCode::internal, path.string() + ": OpenSSL failed to compute SHA-256",
                   "check the OpenSSL installation (libssl3)");
}

}  // namespace

std::string file_sha256(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, path.string() + ": cannot open for reading",
                     "check that the file exists and is readable");
  }
  std::unique_ptr<EVP_MD_CTX, DigestContextDeleter> context(EVP_MD_CTX_new());
  if (!context || EVP_DigestInit_ex(context.get(), EVP_sha256(), nullptr) != 1) {
    openssl_failed(path);
  }
  std::array<char, kChunkBytes> chunk{};
  while (in) {
    in.read(chunk.data(), chunk.size());
    const std::streamsize got = in.gcount();
    if (got > 0 &&
        EVP_DigestUpdate(context.get(), chunk.data(), static_cast<std::size_t>(got)) != 1) {
      openssl_failed(path);
    }
  }
  if (in.bad()) {
    throw sdk::Error(sdk::ErrorCode::invalid_input, path.string() + ": read error",
                     "check the disk and the file's permissions");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) {
    openssl_failed(path);
  }
  static constexpr char kHex[] = "0123456789abcdef";
  constexpr unsigned kNibbleBits = 4;
  constexpr unsigned kNibbleMask = 0x0f;
  std::string text = "sha256:";
  for (unsigned int i = 0; i < length; ++i) {
    text += kHex[digest[i] >> kNibbleBits];
    text += kHex[digest[i] & kNibbleMask];
  }
  return text;
}

}  // namespace stella::host
