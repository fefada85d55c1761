// The vectors are the published ones (FIPS 180-4 and FIPS 202 examples as given by NIST's
// "Cryptographic Standards and Guidelines: Examples with Intermediate Values", RFC 7693 and the
// BLAKE2 reference implementation's KAT, GB/T 32905-2016 examples 1 and 2); they are written out
// here, not computed, so that a wrong OpenSSL build is noticed as well as a wrong plugin.
#include "conformance/published_vectors.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <memory>

#include "merkle/evp_algorithms.hpp"

namespace stella::host {
namespace {

constexpr std::size_t kMillion = 1000000;

constexpr PublishedMessage kEmpty{"empty", "", 1, "FIPS 180-4 / FIPS 202 examples"};
constexpr PublishedMessage kAbc{"abc", "abc", 1, "FIPS 180-4 / FIPS 202 examples"};
constexpr PublishedMessage k448Bits{"448-bit",
                                    "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", 1,
                                    "FIPS 180-4 / FIPS 202 examples"};
constexpr PublishedMessage k896Bits{
    "896-bit",
    "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopq"
    "rsmnopqrstnopqrstu",
    1, "FIPS 180-4 / FIPS 202 examples"};
constexpr PublishedMessage kMillionA{"million-a", "a", kMillion, "FIPS 180-4 / FIPS 202 examples"};
constexpr PublishedMessage kBlake2Empty{"empty", "", 1, "BLAKE2 reference KAT (unkeyed)"};
constexpr PublishedMessage kBlake2Abc{"abc", "abc", 1, "RFC 7693 appendix A"};
constexpr PublishedMessage kSm3Abc{"abc", "abc", 1, "GB/T 32905-2016 example 1"};
constexpr PublishedMessage kSm3Bits512{"512-bit", "abcd", 16, "GB/T 32905-2016 example 2"};

struct TableRow {
  std::string_view algorithm;
  PublishedMessage message;
  std::string_view digest_hex;
};

// clang-format off
constexpr std::array kTable{
    TableRow{"sha256", kEmpty, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
    TableRow{"sha256", kAbc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
    TableRow{"sha256", k448Bits, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
    TableRow{"sha256", k896Bits, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
    TableRow{"sha256", kMillionA, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
    TableRow{"sha384", kEmpty, "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b"},
    TableRow{"sha384", kAbc, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7"},
    TableRow{"sha384", k448Bits, "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b"},
    TableRow{"sha384", k896Bits, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039"},
    TableRow{"sha384", kMillionA, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985"},
    TableRow{"sha512", kEmpty, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"},
    TableRow{"sha512", kAbc, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"},
    TableRow{"sha512", k448Bits, "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c33596fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445"},
    TableRow{"sha512", k896Bits, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909"},
    TableRow{"sha512", kMillionA, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973ebde0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b"},
    TableRow{"sha512-256", kEmpty, "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a"},
    TableRow{"sha512-256", kAbc, "53048e2681941ef99b2e29b76b4c7dabe4c2d0c634fc6d46e0e2f13107e7af23"},
    TableRow{"sha512-256", k448Bits, "bde8e1f9f19bb9fd3406c90ec6bc47bd36d8ada9f11880dbc8a22a7078b6a461"},
    TableRow{"sha512-256", k896Bits, "3928e184fb8690f840da3988121d31be65cb9d3ef83ee6146feac861e19b563a"},
    TableRow{"sha512-256", kMillionA, "9a59a052930187a97038cae692f30708aa6491923ef5194394dc68d56c74fb21"},
    TableRow{"sha3-224", kEmpty, "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7"},
    TableRow{"sha3-224", kAbc, "e642824c3f8cf24ad09234ee7d3c766fc9a3a5168d0c94ad73b46fdf"},
    TableRow{"sha3-224", k448Bits, "8a24108b154ada21c9fd5574494479ba5c7e7ab76ef264ead0fcce33"},
    TableRow{"sha3-224", k896Bits, "543e6868e1666c1a643630df77367ae5a62a85070a51c14cbf665cbc"},
    TableRow{"sha3-224", kMillionA, "d69335b93325192e516a912e6d19a15cb51c6ed5c15243e7a7fd653c"},
    TableRow{"sha3-256", kEmpty, "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"},
    TableRow{"sha3-256", kAbc, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
    TableRow{"sha3-256", k448Bits, "41c0dba2a9d6240849100376a8235e2c82e1b9998a999e21db32dd97496d3376"},
    TableRow{"sha3-256", k896Bits, "916f6061fe879741ca6469b43971dfdb28b1a32dc36cb3254e812be27aad1d18"},
    TableRow{"sha3-256", kMillionA, "5c8875ae474a3634ba4fd55ec85bffd661f32aca75c6d699d0cdcb6c115891c1"},
    TableRow{"sha3-384", kEmpty, "0c63a75b845e4f7d01107d852e4c2485c51a50aaaa94fc61995e71bbee983a2ac3713831264adb47fb6bd1e058d5f004"},
    TableRow{"sha3-384", kAbc, "ec01498288516fc926459f58e2c6ad8df9b473cb0fc08c2596da7cf0e49be4b298d88cea927ac7f539f1edf228376d25"},
    TableRow{"sha3-384", k448Bits, "991c665755eb3a4b6bbdfb75c78a492e8c56a22c5c4d7e429bfdbc32b9d4ad5aa04a1f076e62fea19eef51acd0657c22"},
    TableRow{"sha3-384", k896Bits, "79407d3b5916b59c3e30b09822974791c313fb9ecc849e406f23592d04f625dc8c709b98b43b3852b337216179aa7fc7"},
    TableRow{"sha3-384", kMillionA, "eee9e24d78c1855337983451df97c8ad9eedf256c6334f8e948d252d5e0e76847aa0774ddb90a842190d2c558b4b8340"},
    TableRow{"sha3-512", kEmpty, "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a615b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"},
    TableRow{"sha3-512", kAbc, "b751850b1a57168a5693cd924b6b096e08f621827444f70d884f5d0240d2712e10e116e9192af3c91a7ec57647e3934057340b4cf408d5a56592f8274eec53f0"},
    TableRow{"sha3-512", k448Bits, "04a371e84ecfb5b8b77cb48610fca8182dd457ce6f326a0fd3d7ec2f1e91636dee691fbe0c985302ba1b0d8dc78c086346b533b49c030d99a27daf1139d6e75e"},
    TableRow{"sha3-512", k896Bits, "afebb2ef542e6579c50cad06d2e578f9f8dd6881d7dc824d26360feebf18a4fa73e3261122948efcfd492e74e82e2189ed0fb440d187f382270cb455f21dd185"},
    TableRow{"sha3-512", kMillionA, "3c3a876da14034ab60627c077bb98f7e120a2a5370212dffb3385a18d4f38859ed311d0a9d5141ce9cc5c66ee689b266a8aa18ace8282a0e0db596c90b0a7b87"},
    TableRow{"blake2b-512", kBlake2Empty, "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"},
    TableRow{"blake2b-512", kBlake2Abc, "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923"},
    TableRow{"sm3", kSm3Abc, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
    TableRow{"sm3", kSm3Bits512, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"},
};
// clang-format on

/// OpenSSL names of the algorithms the table covers beyond those the host hashes with itself.
struct ExtraOpenSslName {
  std::string_view id;
  const char* openssl_name;
};
constexpr std::array kExtraOpenSslNames{
    ExtraOpenSslName{"sha512-256", "SHA512-256"}, ExtraOpenSslName{"sha3-224", "SHA3-224"},
    ExtraOpenSslName{"sha3-384", "SHA3-384"}, ExtraOpenSslName{"sha3-512", "SHA3-512"}};

const char* openssl_name_of(std::string_view algorithm) {
  if (const auto known = merkle_detail::find_evp_algorithm(algorithm)) {
    return known->openssl_name;
  }
  for (const ExtraOpenSslName& extra : kExtraOpenSslNames) {
    if (extra.id == algorithm) {
      return extra.openssl_name;
    }
  }
  return nullptr;
}

struct MdDeleter {
  void operator()(EVP_MD* md) const noexcept { EVP_MD_free(md); }
};
struct MdContextDeleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};

}  // namespace

std::string PublishedMessage::bytes() const {
  std::string text;
  text.reserve(pattern.size() * repeat);
  for (std::size_t i = 0; i < repeat; ++i) {
    text.append(pattern);
  }
  return text;
}

std::vector<PublishedVector> published_vectors(std::string_view algorithm) {
  std::vector<PublishedVector> vectors;
  for (const TableRow& row : kTable) {
    if (row.algorithm == algorithm) {
      vectors.push_back({row.message, row.digest_hex});
    }
  }
  return vectors;
}

std::vector<std::string> algorithms_with_published_vectors() {
  std::vector<std::string> algorithms;
  for (const TableRow& row : kTable) {
    if (std::find(algorithms.begin(), algorithms.end(), row.algorithm) == algorithms.end()) {
      algorithms.emplace_back(row.algorithm);
    }
  }
  std::sort(algorithms.begin(), algorithms.end());
  return algorithms;
}

std::optional<std::vector<std::uint8_t>> openssl_digest(std::string_view algorithm,
                                                        std::string_view bytes) {
  const char* name = openssl_name_of(algorithm);
  if (name == nullptr) {
    return std::nullopt;
  }
  const std::unique_ptr<EVP_MD, MdDeleter> md(EVP_MD_fetch(nullptr, name, nullptr));
  const std::unique_ptr<EVP_MD_CTX, MdContextDeleter> context(EVP_MD_CTX_new());
  if (!md || !context) {
    return std::nullopt;
  }
  std::vector<std::uint8_t> digest(static_cast<std::size_t>(EVP_MD_get_size(md.get())));
  unsigned int length = 0;
  if (EVP_DigestInit_ex(context.get(), md.get(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &length) != 1) {
    return std::nullopt;
  }
  digest.resize(length);
  return digest;
}

}  // namespace stella::host
