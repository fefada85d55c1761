// Every published inclusion and consistency vector (transparency-dev/merkle testdata, copied to
// $STELLA_TEST_DATA/rfc6962-vectors): verification succeeds exactly when "wantErr" is false. The
// happy paths are also regenerated from the RFC 6962 test leaves they were built from, so our proof
// generators are checked against the published proofs, not only our verifiers.
#include <filesystem>
#include <fstream>
#include <sstream>

#include <rapidjson/document.h>
#include <boost/test/unit_test.hpp>

#include "merkle/merkle_test_support.hpp"
#include "stella/host/merkle/merkle_tree.hpp"
#include "support/run_cli_process.hpp"

namespace stella::test {
namespace {

namespace fs = std::filesystem;
using host::DigestBytes;

// The leaves of the RFC 6962 reference test tree (certificate-transparency merkle_tree_test), from
// which every happy-path vector was generated.
const std::vector<std::string> kReferenceLeaves{
    std::string(),
    std::string(1, '\x00'),
    "\x10",
    "\x20\x21",
    "\x30\x31",
    "\x40\x41\x42\x43",
    "\x50\x51\x52\x53\x54\x55\x56\x57",
    "\x60\x61\x62\x63\x64\x65\x66\x67\x68\x69\x6a\x6b\x6c\x6d\x6e\x6f",
};

fs::path vectors_dir() {
  return fs::path(required_env("STELLA_TEST_DATA")) / "rfc6962-vectors";
}

std::vector<fs::path> json_files_under(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

rapidjson::Document read_json(const fs::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  rapidjson::Document document;
  document.Parse(text.str());
  BOOST_REQUIRE_MESSAGE(!document.HasParseError() && document.IsObject(),
                        file << " is not a JSON object");
  return document;
}

DigestBytes base64_field(const rapidjson::Value& object, const char* name) {
  return base64_decode(object[name].GetString());
}

std::vector<DigestBytes> proof_field(const rapidjson::Value& object) {
  std::vector<DigestBytes> proof;
  const auto& value = object["proof"];
  if (value.IsNull()) {
    return proof;
  }
  for (const auto& element : value.GetArray()) {
    proof.push_back(base64_decode(element.GetString()));
  }
  return proof;
}

std::vector<DigestBytes> reference_leaf_hashes(const host::TreeHasher& hasher, std::size_t size) {
  BOOST_REQUIRE_LE(size, kReferenceLeaves.size());
  std::vector<DigestBytes> hashes;
  for (std::size_t i = 0; i < size; ++i) {
    hashes.push_back(hasher.hash_leaf(bytes_of(kReferenceLeaves[i])));
  }
  return hashes;
}

BOOST_AUTO_TEST_SUITE(rfc6962_vectors)

BOOST_AUTO_TEST_CASE(the_reference_tree_has_its_published_root) {
  const auto hasher = host::make_evp_hasher("sha256");
  BOOST_TEST(host::to_hex(host::merkle_root(*hasher, reference_leaf_hashes(*hasher, 8))) ==
             "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328");
}

BOOST_AUTO_TEST_CASE(every_inclusion_vector) {
  const auto hasher = host::make_evp_hasher("sha256");
  const auto files = json_files_under(vectors_dir() / "inclusion");
  BOOST_TEST_MESSAGE("inclusion vectors: " << files.size());
  BOOST_REQUIRE_GT(files.size(), 0U);
  std::size_t happy = 0;
  for (const auto& file : files) {
    BOOST_TEST_CONTEXT(file) {
      const auto vector = read_json(file);
      const bool want_error = vector["wantErr"].GetBool();
      const std::uint64_t index = vector["leafIdx"].GetUint64();
      const std::uint64_t size = vector["treeSize"].GetUint64();
      const auto proof = proof_field(vector);
      const auto root = base64_field(vector, "root");
      const auto leaf = base64_field(vector, "leafHash");
      BOOST_TEST(host::verify_inclusion(*hasher, index, size, leaf, proof, root) == !want_error);
      if (file.filename() == "happy-path.json") {
        ++happy;
        const auto leaves = reference_leaf_hashes(*hasher, size);
        BOOST_TEST(host::to_hex(leaves[index]) == host::to_hex(leaf));
        BOOST_TEST(host::to_hex(host::merkle_root(*hasher, leaves)) == host::to_hex(root));
        BOOST_TEST(hex_list(host::inclusion_proof(*hasher, leaves, index)) == hex_list(proof));
      }
    }
  }
  BOOST_TEST(happy > 0U);
}

BOOST_AUTO_TEST_CASE(every_consistency_vector) {
  const auto hasher = host::make_evp_hasher("sha256");
  const auto files = json_files_under(vectors_dir() / "consistency");
  BOOST_TEST_MESSAGE("consistency vectors: " << files.size());
  BOOST_REQUIRE_GT(files.size(), 0U);
  std::size_t happy = 0;
  for (const auto& file : files) {
    BOOST_TEST_CONTEXT(file) {
      const auto vector = read_json(file);
      const bool want_error = vector["wantErr"].GetBool();
      const std::uint64_t size1 = vector["size1"].GetUint64();
      const std::uint64_t size2 = vector["size2"].GetUint64();
      const auto proof = proof_field(vector);
      const auto root1 = base64_field(vector, "root1");
      const auto root2 = base64_field(vector, "root2");
      BOOST_TEST(host::verify_consistency(*hasher, size1, size2, root1, root2, proof) ==
                 !want_error);
      if (file.filename() == "happy-path.json") {
        ++happy;
        const auto leaves = reference_leaf_hashes(*hasher, size2);
        const std::vector<DigestBytes> old_leaves(leaves.begin(), leaves.begin() + size1);
        BOOST_TEST(host::to_hex(host::merkle_root(*hasher, old_leaves)) == host::to_hex(root1));
        BOOST_TEST(host::to_hex(host::merkle_root(*hasher, leaves)) == host::to_hex(root2));
        BOOST_TEST(hex_list(host::consistency_proof(*hasher, leaves, size1)) == hex_list(proof));
      }
    }
  }
  BOOST_TEST(happy > 0U);
}

BOOST_AUTO_TEST_CASE(base64_decoder_reads_what_the_vectors_use) {
  const auto decoded = base64_decode("ZG9uJ3QgY2FyZSAy");
  BOOST_TEST(std::string(decoded.begin(), decoded.end()) == "don't care 2");
  BOOST_TEST(base64_decode("").empty());
  BOOST_TEST(base64_decode("QQ==").size() == 1U);
  BOOST_TEST(base64_decode("QUI=").size() == 2U);
  BOOST_CHECK_THROW(base64_decode("QQ=A"), std::invalid_argument);
  BOOST_CHECK_THROW(base64_decode("Q"), std::invalid_argument);
  BOOST_CHECK_THROW(base64_decode("Q!=="), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace stella::test
