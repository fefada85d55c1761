// The six hash-<alg> reindexer plugins, loaded as real shared libraries the way the host loads them
// (RTLD_NOW | RTLD_LOCAL, the entry alias), checked against the published test vectors of their
// algorithm, against OpenSSL's one-shot digest, across threads, and against the host's own
// TreeHasher for leaf and node hashes.
#define BOOST_TEST_MODULE reindexers
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <thread>

#include <openssl/evp.h>
#include <rapidjson/document.h>
#include <rapidjson/schema.h>
#include <boost/dll/shared_library.hpp>
#include <boost/preprocessor/stringize.hpp>
#include <boost/test/unit_test.hpp>

#include "stella/host/merkle/merkle_tree.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/resources.hpp"
#include "stella/sdk/plugin.hpp"
#include "stella/sdk/reindexer.hpp"
#include "support/run_cli_process.hpp"

namespace stella::test {
namespace {

namespace fs = std::filesystem;
using host::DigestBytes;

struct Vector {
  std::string input;
  const char* hex;
};

struct ExpectedPlugin {
  const char* plugin_id;
  const char* algorithm;
  const char* openssl_name;
  std::vector<Vector> vectors;
};

const std::string kAbc = "abc";
const std::string k448Bits = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string kSm3Example2 = "abcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcdabcd";

// Published digests: FIPS 180-4 / FIPS 202 examples (NIST CSRC "Examples with Intermediate
// Values"), RFC 7693 Appendix A and the BLAKE2 reference KAT, GB/T 32905-2016 examples 1 and 2.
const std::vector<ExpectedPlugin> kPlugins{
    {"hash-sha256",
     "sha256",
     "SHA256",
     {{kAbc, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {k448Bits, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"}}},
    {"hash-sha384",
     "sha384",
     "SHA384",
     {{kAbc,
       "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c"
       "8"
       "25a7"},
      {"",
       "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f1489"
       "8"
       "b95b"}}},
    {"hash-sha512",
     "sha512",
     "SHA512",
     {{kAbc,
       "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3f"
       "e"
       "ebbd454d4423643ce80e2a9ac94fa54ca49f"},
      {"",
       "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877"
       "e"
       "ec2f63b931bd47417a81a538327af927da3e"}}},
    {"hash-sha3-256",
     "sha3-256",
     "SHA3-256",
     {{kAbc, "3a985da74fe225b2045c172d6bd390bd855f086e3e9d525b46bfe24511431532"},
      {"", "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"}}},
    {"hash-blake2b-512",
     "blake2b-512",
     "BLAKE2B-512",
     {{kAbc,
       "ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de453"
       "3"
       "cc9518d38aa8dbf1925ab92386edd4009923"},
      {"",
       "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419d25e1031afee585313896444934"
       "e"
       "b04b903a685b1448b755d56f701afe9be2ce"}}},
    {"hash-sm3",
     "sm3",
     "SM3",
     {{kAbc, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"},
      {kSm3Example2, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"}}},
};

host::ByteView bytes_of(std::string_view text) {
  return host::ByteView(reinterpret_cast<const std::uint8_t*>(text.data()), text.size());
}

rapidjson::Document read_json(const fs::path& file) {
  std::ifstream in(file);
  BOOST_REQUIRE_MESSAGE(in, "cannot read " << file);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document document;
  document.Parse(text.str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError() && document.IsObject(),
                        file << " is not a JSON object");
  return document;
}

/// A plugin loaded as the host loads it. Libraries stay loaded for the life of the test process,
/// as they do in the host.
struct LoadedReindexer {
  rapidjson::Document manifest;
  const sdk::PluginDescriptor* descriptor = nullptr;
  std::unique_ptr<sdk::Reindexer> reindexer;
};

LoadedReindexer load(const ExpectedPlugin& expected) {
  static std::vector<boost::dll::shared_library> libraries;
  const fs::path dir = fs::path(required_env("STELLA_PLUGIN_BUILD_DIR")) / expected.plugin_id;
  LoadedReindexer loaded;
  loaded.manifest = read_json(dir / "manifest.json");
  const fs::path library = dir / loaded.manifest["library"].GetString();
  libraries.emplace_back(library,
                         boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
  auto& entry =
      libraries.back().get_alias<sdk::PluginEntry>(BOOST_PP_STRINGIZE(STELLA_PLUGIN_ENTRY_NAME));
  loaded.descriptor = &entry();
  BOOST_REQUIRE((loaded.descriptor->kind == sdk::PluginKind::reindexer));
  // The host downcasts by the descriptor's kind, and so do we.
  loaded.reindexer.reset(static_cast<sdk::Reindexer*>(loaded.descriptor->create()));
  BOOST_REQUIRE(loaded.reindexer != nullptr);
  return loaded;
}

DigestBytes openssl_digest(const char* name, std::string_view input) {
  EVP_MD* md = EVP_MD_fetch(nullptr, name, nullptr);
  BOOST_REQUIRE(md != nullptr);
  DigestBytes out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int length = 0;
  const int ok = EVP_Digest(input.data(), input.size(), out.data(), &length, md, nullptr);
  EVP_MD_free(md);
  BOOST_REQUIRE(ok == 1);
  return out;
}

std::vector<std::string> random_inputs(std::size_t count, std::size_t max_size) {
  std::mt19937_64 random(7693);  // fixed seed: the same inputs every run
  std::uniform_int_distribution<std::size_t> size(0, max_size);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<std::string> inputs(count);
  for (auto& input : inputs) {
    input.resize(size(random));
    for (auto& c : input) {
      c = static_cast<char>(byte(random));
    }
  }
  return inputs;
}

BOOST_AUTO_TEST_SUITE(reindexer_plugins)

BOOST_AUTO_TEST_CASE(manifests_are_valid_and_agree_with_the_descriptors) {
  const auto schema_text = host::find_resource("plugin-manifest.schema.json");
  BOOST_REQUIRE_MESSAGE(schema_text.has_value(), "plugin-manifest.schema.json is not embedded");
  rapidjson::Document schema_document;
  schema_document.Parse(schema_text->data(), schema_text->size());
  BOOST_REQUIRE(!schema_document.HasParseError());
  const rapidjson::SchemaDocument schema(schema_document);
  for (const auto& expected : kPlugins) {
    BOOST_TEST_CONTEXT(expected.plugin_id) {
      const auto loaded = load(expected);
      const auto& manifest = loaded.manifest;
      rapidjson::SchemaValidator validator(schema);
      BOOST_TEST(manifest.Accept(validator));
      BOOST_TEST(std::string(manifest["id"].GetString()) == expected.plugin_id);
      BOOST_TEST(std::string(manifest["kind"].GetString()) == "reindexer");
      BOOST_TEST(manifest["abi"].GetUint() == sdk::kAbiVersion);
      BOOST_TEST(manifest["provides"]["algorithms"].Size() == 1U);
      BOOST_TEST(std::string(manifest["provides"]["algorithms"][0].GetString()) ==
                 expected.algorithm);
      BOOST_TEST(std::string(manifest["capabilities"][0].GetString()) == "parallel");
      BOOST_TEST(loaded.descriptor->abi_version == sdk::kAbiVersion);
      BOOST_TEST(std::string(loaded.descriptor->id) == expected.plugin_id);
      BOOST_TEST(std::string(loaded.descriptor->version) == manifest["version"].GetString());
      BOOST_TEST(loaded.reindexer->algorithm_id() == expected.algorithm);
    }
  }
}

BOOST_AUTO_TEST_CASE(digests_match_the_published_test_vectors) {
  for (const auto& expected : kPlugins) {
    const auto loaded = load(expected);
    for (const auto& vector : expected.vectors) {
      BOOST_TEST_CONTEXT(expected.plugin_id << " input '" << vector.input << "'") {
        BOOST_TEST(host::to_hex(loaded.reindexer->hash(bytes_of(vector.input))) == vector.hex);
        BOOST_TEST(loaded.reindexer->digest_size() * 2 == std::string(vector.hex).size());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(digests_match_openssl_one_shot_whole_and_in_pieces) {
  const auto inputs = random_inputs(200, 4096);
  for (const auto& expected : kPlugins) {
    const auto loaded = load(expected);
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      const auto& input = inputs[i];
      const auto want = host::to_hex(openssl_digest(expected.openssl_name, input));
      BOOST_TEST(host::to_hex(loaded.reindexer->hash(bytes_of(input))) == want,
                 expected.plugin_id << " input " << i);
      // Fed in uneven pieces through one HashState.
      auto state = loaded.reindexer->start();
      const std::size_t piece = 1 + i % 97;
      for (std::size_t offset = 0; offset < input.size(); offset += piece) {
        state->update(bytes_of(std::string_view(input).substr(offset, piece)));
      }
      BOOST_TEST(host::to_hex(state->finish()) == want, expected.plugin_id << " input " << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(concurrent_states_do_not_share_anything) {
  for (const auto& expected : kPlugins) {
    const auto loaded = load(expected);
    // Two states alive at once on one thread, fed alternately.
    auto first = loaded.reindexer->start();
    auto second = loaded.reindexer->start();
    first->update(bytes_of("a"));
    second->update(bytes_of(""));
    first->update(bytes_of("bc"));
    BOOST_TEST(host::to_hex(first->finish()) ==
               host::to_hex(openssl_digest(expected.openssl_name, "abc")));
    BOOST_TEST(host::to_hex(second->finish()) ==
               host::to_hex(openssl_digest(expected.openssl_name, "")));
  }
}

BOOST_AUTO_TEST_CASE(deterministic_across_threads) {
  const auto inputs = random_inputs(1000, 2048);
  for (const auto& expected : kPlugins) {
    const auto loaded = load(expected);
    const auto hash_all = [&](std::vector<DigestBytes>& out) {
      for (const auto& input : inputs) {
        out.push_back(loaded.reindexer->hash(bytes_of(input)));
      }
    };
    std::vector<DigestBytes> first;
    std::vector<DigestBytes> second;
    std::thread a(hash_all, std::ref(first));
    std::thread b(hash_all, std::ref(second));
    a.join();
    b.join();
    BOOST_TEST(first.size() == inputs.size(), expected.plugin_id);
    BOOST_TEST((first == second), expected.plugin_id);
    for (std::size_t i = 0; i < inputs.size(); i += 97) {
      BOOST_TEST(
          host::to_hex(first[i]) == host::to_hex(openssl_digest(expected.openssl_name, inputs[i])),
          expected.plugin_id << " input " << i);
    }
  }
}

BOOST_AUTO_TEST_CASE(leaf_node_and_roots_match_the_host_tree_hasher) {
  for (const auto& expected : kPlugins) {
    BOOST_TEST_CONTEXT(expected.plugin_id) {
      const auto loaded = load(expected);
      const auto builtin = host::make_evp_hasher(expected.algorithm);
      const auto adapted = host::make_reindexer_hasher(*loaded.reindexer);
      BOOST_TEST(adapted->digest_size() == builtin->digest_size());
      BOOST_TEST(host::to_hex(loaded.reindexer->hash_leaf(bytes_of("L123456"))) ==
                 host::to_hex(builtin->hash_leaf(bytes_of("L123456"))));
      BOOST_TEST(host::to_hex(loaded.reindexer->hash_node(bytes_of("N123"), bytes_of("N456"))) ==
                 host::to_hex(builtin->hash_node(bytes_of("N123"), bytes_of("N456"))));
      std::vector<DigestBytes> leaves;
      for (int i = 0; i < 37; ++i) {
        leaves.push_back(adapted->hash_leaf(bytes_of("leaf-" + std::to_string(i))));
      }
      BOOST_TEST(host::to_hex(host::merkle_root(*adapted, leaves)) ==
                 host::to_hex(host::merkle_root(*builtin, leaves)));
      BOOST_TEST(host::to_hex(adapted->empty_root()) == host::to_hex(builtin->empty_root()));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace stella::test
