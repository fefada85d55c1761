#include "stella/host/packs/signing_keys.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <regex>
#include <sstream>

#include <openssl/bio.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "packs/bytes_sha256.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr mode_t kPrivateKeyMode = 0600;
constexpr mode_t kPublicKeyMode = 0644;
constexpr const char* kPrivateKeySuffix = ".key";
constexpr const char* kPublicKeySuffix = ".pem";

struct BioDeleter {
  void operator()(BIO* bio) const noexcept { BIO_free(bio); }
};
using Bio = std::unique_ptr<BIO, BioDeleter>;

struct KeyContextDeleter {
  void operator()(EVP_PKEY_CTX* context) const noexcept { EVP_PKEY_CTX_free(context); }
};

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<std::size_t>(size));
}

std::string read_text(const std::filesystem::path& path, const char* what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     path.string() + ": cannot read " + what + ": " + std::strerror(errno),
                     "check the path and its permissions");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

/// Creates `path` exclusively with `mode` and writes `text`; never replaces an existing file.
void write_new_file(const std::filesystem::path& path, const std::string& text, mode_t mode) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) {
    if (errno == EEXIST) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       path.string() + ": already exists; keygen never overwrites a key",
                       "choose another --name or --output-dir, or remove the old key pair "
                       "deliberately (packs signed with it will no longer be signable)");
    }
    throw sdk::Error(sdk::ErrorCode::internal,
                     path.string() + ": cannot create: " + std::strerror(errno),
                     "check that the directory is writable");
  }
  // The umask may have narrowed the mode; set it exactly (0600 for the private key).
  const bool ok = ::fchmod(fd, mode) == 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  const int saved = errno;
  ::close(fd);
  if (!ok) {
    throw sdk::Error(sdk::ErrorCode::internal,
                     path.string() + ": cannot write: " + std::strerror(saved),
                     "check free space and permissions");
  }
}

void require_ed25519(EVP_PKEY* key, const std::filesystem::path& path) {
  if (EVP_PKEY_id(key) != EVP_PKEY_ED25519) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     path.string() + ": holds a " + OBJ_nid2sn(EVP_PKEY_id(key)) +
                         " key; expected an Ed25519 key",
                     "make a key pair with 'stella plugins keygen'");
  }
}

}  // namespace

GeneratedKeyPair generate_signing_key_pair(const std::filesystem::path& directory,
                                           const std::string& name) {
  static const std::regex kNamePattern("[A-Za-z0-9][A-Za-z0-9._-]*");
  if (!std::regex_match(name, kNamePattern)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     "--name '" + name +
                         "': expected letters, digits, '.', '_' or '-', starting with a letter "
                         "or digit",
                     "pass a plain file name such as --name release-2026");
  }
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     directory.string() + ": cannot create directory: " + error.message(),
                     "choose a writable --output-dir");
  }
  GeneratedKeyPair pair{
      directory / (name + kPrivateKeySuffix), directory / (name + kPublicKeySuffix), {}};
  for (const auto& path : {pair.private_key, pair.public_key}) {
    if (std::filesystem::exists(path, error)) {
      throw sdk::Error(sdk::ErrorCode::refused,
                       path.string() + ": already exists; keygen never overwrites a key",
                       "choose another --name or --output-dir");
    }
  }
  std::unique_ptr<EVP_PKEY_CTX, KeyContextDeleter> context(
      EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* raw = nullptr;
  if (!context || EVP_PKEY_keygen_init(context.get()) != 1 ||
      EVP_PKEY_keygen(context.get(), &raw) != 1) {
    throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not generate an Ed25519 key",
                     "check the OpenSSL installation (Ed25519 needs OpenSSL 1.1.1 or later)");
  }
  EvpKey key(raw);
  Bio private_pem(BIO_new(BIO_s_mem()));
  Bio public_pem(BIO_new(BIO_s_mem()));
  if (!private_pem || !public_pem ||
      PEM_write_bio_PrivateKey(private_pem.get(), key.get(), nullptr, nullptr, 0, nullptr,
                               nullptr) != 1 ||
      PEM_write_bio_PUBKEY(public_pem.get(), key.get()) != 1) {
    throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not encode the key pair as PEM");
  }
  write_new_file(pair.private_key, bio_text(private_pem.get()), kPrivateKeyMode);
  write_new_file(pair.public_key, bio_text(public_pem.get()), kPublicKeyMode);
  pair.key_id = signing_key_id(key.get());
  return pair;
}

EvpKey read_private_key(const std::filesystem::path& path) {
  const std::string text = read_text(path, "the private key");
  Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  EvpKey key(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     path.string() +
                         ": not a PEM private key; expected the .key file written by "
                         "'stella plugins keygen'",
                     "pass the private key with --key (the .pem file is the public half)");
  }
  require_ed25519(key.get(), path);
  return key;
}

EvpKey read_public_key(const std::filesystem::path& path) {
  const std::string text = read_text(path, "the public key");
  if (text.find("PRIVATE KEY") != std::string::npos) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     path.string() + ": holds a private key; expected a public key",
                     "keep private keys out of the trusted-keys folder; copy only the .pem file "
                     "'stella plugins keygen' wrote");
  }
  Bio bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  EvpKey key(PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr));
  if (!key) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     path.string() + ": not a PEM public key (-----BEGIN PUBLIC KEY-----)",
                     "put only public keys written by 'stella plugins keygen' in this folder");
  }
  require_ed25519(key.get(), path);
  return key;
}

std::string signing_key_id(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  const int size = i2d_PUBKEY(key, &der);
  if (size <= 0) {
    throw sdk::Error(sdk::ErrorCode::internal, "OpenSSL could not encode a public key");
  }
  const std::string id =
      bytes_sha256(std::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(size)));
  OPENSSL_free(der);
  return id;
}

const TrustedKey* TrustedKeys::find(const std::string& key_id) const {
  const auto it = std::find_if(keys.begin(), keys.end(),
                               [&](const TrustedKey& key) { return key.key_id == key_id; });
  return it == keys.end() ? nullptr : &*it;
}

TrustedKeys read_trusted_keys(const std::filesystem::path& directory) {
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     directory.string() +
                         ": trusted-keys directory not found; expected a "
                         "directory of *.pem public keys",
                     "check --trusted-keys / STELLA_TRUSTED_KEYS");
  }
  std::vector<std::filesystem::path> files;
  for (std::filesystem::directory_iterator it(directory, error), end; !error && it != end;
       it.increment(error)) {
    if (it->path().extension() == kPublicKeySuffix) {
      files.push_back(it->path());
    }
  }
  if (error) {
    throw sdk::Error(sdk::ErrorCode::invalid_input,
                     directory.string() + ": cannot list the trusted keys: " + error.message(),
                     "check the directory's permissions");
  }
  std::sort(files.begin(), files.end());
  TrustedKeys trusted;
  for (const auto& file : files) {
    try {
      EvpKey key = read_public_key(file);
      std::string id = signing_key_id(key.get());
      trusted.keys.push_back(
          {file, std::move(id), std::shared_ptr<EVP_PKEY>(key.release(), EvpKeyDeleter{})});
    } catch (const sdk::Error& e) {
      trusted.unusable.push_back(e.what());
    }
  }
  return trusted;
}

}  // namespace stella::host
