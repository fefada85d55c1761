// The checks of a reindexer: its digests are the published ones and OpenSSL's, its RFC 9162 leaf
// and node hashes carry the domain-separation prefixes, its digest size is what it says, and its
// results do not depend on how the bytes are chunked, on threads, or on the --batch-size and
// --parallel of a real reindex.
#include <algorithm>
#include <future>
#include <optional>
#include <ostream>
#include <string_view>

#include "conformance/conformance_setting.hpp"
#include "conformance/published_vectors.hpp"
#include "conformance/sample_store.hpp"
#include "conformance/throwaway_store.hpp"
#include "stella/host/merkle/tree_hasher.hpp"
#include "stella/host/migration/store_state.hpp"
#include "stella/host/reindex/algorithm_hashers.hpp"
#include "stella/host/reindex/reindex_runner.hpp"
#include "stella/host/store/pg_connection.hpp"
#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr std::size_t kMiB = std::size_t{1} << 20;
/// Input sizes around the block sizes of every algorithm in the table (SHA-256/SM3 64, SHA-512 and
/// BLAKE2b 128, SHA3 144/136/104/72 bytes) and their padding limits, plus a large input.
constexpr std::size_t kInputSizes[] = {0,   1,   55,  56,   63,   64,   65,    71,  72,
                                       103, 104, 111, 112,  127,  128,  129,   135, 136,
                                       143, 144, 145, 1000, 4095, 4096, 65537, kMiB};
/// How the inputs are fed to HashState::update: whole (0), byte by byte, and odd chunk sizes.
constexpr std::size_t kChunkSizes[] = {0, 1, 3, 7, 64, 1000, 4096};
/// Threads hashing the same inputs with the same plugin object at once.
constexpr int kThreadCounts[] = {1, 2, 4};
/// Real reindex runs of the sample store: artifacts per batch and worker threads.
struct ReindexSetting {
  std::int64_t batch_size;
  int parallel;
};
constexpr ReindexSetting kReindexSettings[] = {{1, 1}, {5, 2}, {1000, 4}};
/// Multiplier of the inputs' pseudo-random bytes (Knuth's MMIX LCG): fixed, so runs agree.
constexpr std::uint64_t kLcgMultiplier = 6364136223846793005ULL;
constexpr std::uint64_t kLcgIncrement = 1442695040888963407ULL;
constexpr unsigned kByteShift = 56;

std::string input_of_size(std::size_t size) {
  std::string bytes(size, '\0');
  std::uint64_t state = size + 1;
  for (char& byte : bytes) {
    state = state * kLcgMultiplier + kLcgIncrement;
    byte = static_cast<char>(state >> kByteShift);
  }
  return bytes;
}

sdk::ByteView view_of(std::string_view bytes) {
  return {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
}

std::string hex(const sdk::DigestBytes& digest) {
  return to_hex(digest);
}

sdk::DigestBytes hash_in_chunks(const sdk::Reindexer& reindexer, std::string_view bytes,
                                std::size_t chunk) {
  auto state = reindexer.start();
  if (chunk == 0) {
    state->update(view_of(bytes));
  } else {
    for (std::size_t offset = 0; offset < bytes.size(); offset += chunk) {
      state->update(view_of(bytes.substr(offset, chunk)));
    }
  }
  return state->finish();
}

std::vector<std::string> test_inputs() {
  std::vector<std::string> inputs;
  for (const std::size_t size : kInputSizes) {
    inputs.push_back(input_of_size(size));
  }
  return inputs;
}

/// Runs the check `name`; when the plugin's code throws out of it, the check fails naming what
/// was thrown, and the other checks still run: a plugin's exception is the plugin's defect, not
/// the end of its test.
template <typename Check>
void unless_the_plugin_throws(ConformanceSetting& setting, const std::string& name, Check check) {
  const std::string expected = "digests, or a stella::sdk::Error when the plugin cannot hash";
  try {
    check();
  } catch (const sdk::Error& error) {
    stop_if_interrupted(error);
    setting.checks.fail(name, "the plugin failed instead of hashing", expected,
                        std::string("stella::sdk::Error: ") + error.what());
  } catch (const std::exception& error) {
    setting.checks.fail(name, "the plugin threw an exception that is not a stella::sdk::Error",
                        expected, error.what());
  } catch (...) {
    setting.checks.fail(name, "the plugin threw something that is not an exception", expected,
                        "an object of an unknown type");
  }
}

void check_digest_size(ConformanceSetting& setting, const sdk::Reindexer& reindexer) {
  const std::string algorithm = reindexer.algorithm_id();
  const std::size_t declared = reindexer.digest_size();
  const std::size_t produced = reindexer.hash({}).size();
  const auto reference = openssl_digest(algorithm, "");
  std::vector<std::string> problems;
  if (produced != declared) {
    problems.push_back("digest_size() says " + std::to_string(declared) +
                       " bytes, the digest of "
                       "the empty input has " +
                       std::to_string(produced));
  }
  if (reference && reference->size() != declared) {
    problems.push_back("OpenSSL's " + algorithm + " digests have " +
                       std::to_string(reference->size()) + " bytes, digest_size() says " +
                       std::to_string(declared));
  }
  if (problems.empty()) {
    setting.checks.pass("digest-size", "digest_size() is " + std::to_string(declared) +
                                           " bytes, the length of the digests it produces" +
                                           (reference ? " and of OpenSSL's" : ""));
  } else {
    // What the digests really have is the expectation; the declared size is what was found.
    const std::size_t actual = reference ? reference->size() : produced;
    setting.checks.fail("digest-size", "digest_size() disagrees with the digests",
                        "digest_size() " + std::to_string(actual) + ", the length of the " +
                            (reference ? "OpenSSL's " + algorithm + " digests"
                                       : std::string("digests it produces")),
                        problems.front(), problems);
  }
}

void check_published_vectors(ConformanceSetting& setting, const sdk::Reindexer& reindexer) {
  const std::string algorithm = reindexer.algorithm_id();
  const std::vector<PublishedVector> vectors = published_vectors(algorithm);
  if (vectors.empty()) {
    std::string covered;
    for (const auto& known : algorithms_with_published_vectors()) {
      covered += (covered.empty() ? "" : ", ") + known;
    }
    setting.checks.skip("published-vectors",
                        "the host holds no published test vectors for '" + algorithm +
                            "' (it has vectors for " + covered +
                            "): this plugin's digests were not checked against a published "
                            "reference; check them in the plugin's own tests");
    return;
  }
  std::vector<std::string> mismatches;
  bool openssl_compared = false;
  for (const PublishedVector& vector : vectors) {
    const std::string message = vector.message.bytes();
    const std::string plugin = hex(reindexer.hash(view_of(message)));
    if (plugin != vector.digest_hex) {
      mismatches.push_back(std::string(vector.message.name) + " (" +
                           std::string(vector.message.source) + "): published " +
                           std::string(vector.digest_hex) + ", plugin " + plugin);
    }
    if (const auto reference = openssl_digest(algorithm, message)) {
      openssl_compared = true;
      if (to_hex(*reference) != vector.digest_hex) {
        mismatches.push_back(std::string(vector.message.name) + ": OpenSSL here computes " +
                             to_hex(*reference) + ", not the published " +
                             std::string(vector.digest_hex) + " (the host's OpenSSL is broken)");
      }
    }
  }
  if (mismatches.empty()) {
    setting.checks.pass("published-vectors", std::to_string(vectors.size()) + " published " +
                                                 algorithm + " vectors match" +
                                                 (openssl_compared ? ", as does OpenSSL EVP" : ""));
  } else {
    setting.checks.fail(
        "published-vectors", "digests differ from the published test vectors",
        "the published " + algorithm + " digests",
        std::to_string(mismatches.size()) + " of " + std::to_string(vectors.size()) + " differ",
        mismatches);
  }
}

void check_openssl_agreement(ConformanceSetting& setting, const sdk::Reindexer& reindexer,
                             const std::vector<std::string>& inputs) {
  const std::string algorithm = reindexer.algorithm_id();
  if (!openssl_digest(algorithm, "")) {
    setting.checks.skip("openssl-agreement", "OpenSSL EVP here provides no '" + algorithm +
                                                 "' to compare the plugin's digests with");
    return;
  }
  std::vector<std::string> mismatches;
  for (const std::string& input : inputs) {
    const std::string plugin = hex(reindexer.hash(view_of(input)));
    const std::string reference = to_hex(*openssl_digest(algorithm, input));
    if (plugin != reference) {
      mismatches.push_back(std::to_string(input.size()) + "-byte input: OpenSSL " + reference +
                           ", plugin " + plugin);
    }
  }
  if (mismatches.empty()) {
    setting.checks.pass("openssl-agreement", "the plugin's digests of " +
                                                 std::to_string(inputs.size()) +
                                                 " inputs (0 bytes to 1 MiB) equal OpenSSL EVP's");
  } else {
    setting.checks.fail("openssl-agreement", "digests differ from OpenSSL EVP's",
                        "OpenSSL EVP " + algorithm + " digests",
                        std::to_string(mismatches.size()) + " of " + std::to_string(inputs.size()) +
                            " inputs differ",
                        mismatches);
  }
}

void check_rfc9162(ConformanceSetting& setting, const sdk::Reindexer& reindexer,
                   const std::vector<std::string>& inputs) {
  static constexpr char kLeafPrefix = '\x00';
  static constexpr char kNodePrefix = '\x01';
  const std::string algorithm = reindexer.algorithm_id();
  const bool openssl = openssl_digest(algorithm, "").has_value();
  // Without OpenSSL the reference is the plugin's own one-shot hash of the prefixed bytes.
  const auto reference = [&](const std::string& bytes) {
    return openssl ? to_hex(*openssl_digest(algorithm, bytes))
                   : hex(reindexer.hash(view_of(bytes)));
  };
  std::vector<std::string> mismatches;
  for (std::size_t i = 0; i + 1 < inputs.size(); ++i) {
    const std::string& left = inputs[i];
    const std::string& right = inputs[i + 1];
    const std::string leaf = hex(reindexer.hash_leaf(view_of(left)));
    if (leaf != reference(std::string(1, kLeafPrefix) + left)) {
      mismatches.push_back("hash_leaf of a " + std::to_string(left.size()) +
                           "-byte leaf is not H(0x00 || leaf)");
    }
    const std::string node = hex(reindexer.hash_node(view_of(left), view_of(right)));
    if (node != reference(std::string(1, kNodePrefix) + left + right)) {
      mismatches.push_back("hash_node of " + std::to_string(left.size()) + " + " +
                           std::to_string(right.size()) + " bytes is not H(0x01 || left || right)");
    }
  }
  const std::string against = openssl ? "OpenSSL EVP" : "the plugin's own one-shot hash";
  if (mismatches.empty()) {
    setting.checks.pass("rfc9162-leaf-and-node", "hash_leaf and hash_node equal " + against +
                                                     " of the 0x00- and 0x01-prefixed bytes");
  } else {
    setting.checks.fail("rfc9162-leaf-and-node", "leaf or node hashes are not RFC 9162's",
                        "H(0x00 || leaf) and H(0x01 || left || right), computed by " + against,
                        std::to_string(mismatches.size()) + " differ", mismatches);
  }
}

/// Every input hashed in every chunking on `threads` threads at once, against `whole`.
std::vector<std::string> chunking_differences(const sdk::Reindexer& reindexer,
                                              const std::vector<std::string>& inputs,
                                              const std::vector<std::string>& whole, int threads) {
  std::vector<std::future<std::vector<std::string>>> workers;
  for (int worker = 0; worker < threads; ++worker) {
    workers.push_back(std::async(std::launch::async, [&reindexer, &inputs, &whole, threads] {
      std::vector<std::string> differences;
      for (std::size_t i = 0; i < inputs.size(); ++i) {
        for (const std::size_t chunk : kChunkSizes) {
          const std::string digest = hex(hash_in_chunks(reindexer, inputs[i], chunk));
          if (digest != whole[i]) {
            differences.push_back(
                std::to_string(inputs[i].size()) + "-byte input, " +
                (chunk == 0 ? std::string("whole") : "chunks of " + std::to_string(chunk)) + ", " +
                std::to_string(threads) + " threads: " + digest + " instead of " + whole[i]);
          }
        }
      }
      return differences;
    }));
  }
  std::vector<std::string> all;
  for (auto& worker : workers) {
    for (auto& line : worker.get()) {
      all.push_back(std::move(line));
    }
  }
  return all;
}

void check_chunks_and_threads(ConformanceSetting& setting, const sdk::Reindexer& reindexer,
                              const std::vector<std::string>& inputs) {
  std::vector<std::string> whole;
  for (const std::string& input : inputs) {
    whole.push_back(hex(reindexer.hash(view_of(input))));
  }
  std::vector<std::string> differences;
  for (const int threads : kThreadCounts) {
    for (auto& line : chunking_differences(reindexer, inputs, whole, threads)) {
      differences.push_back(std::move(line));
    }
  }
  if (differences.empty()) {
    setting.checks.pass("deterministic-across-chunks-and-threads",
                        std::to_string(inputs.size()) +
                            " inputs fed whole and in chunks of 1 to "
                            "4096 bytes, on 1, 2 and 4 threads at once: the same digests");
  } else {
    setting.checks.fail("deterministic-across-chunks-and-threads",
                        "digests depend on how the bytes are chunked or on the thread",
                        "one digest per input, however it is fed and on whichever thread",
                        std::to_string(differences.size()) + " digests differ", differences);
  }
}

std::string algorithm_of_store(const std::string& conninfo) {
  const auto connection = PgConnection::connect(conninfo);
  PgTransaction transaction(*connection);
  return capture_store_state(*connection).algorithm;
}

/// Copies of the prepared store (CREATE DATABASE ... TEMPLATE), one per reindex setting.
std::vector<std::string> copies_of_store(ThrowawayStore& store, std::size_t count) {
  std::vector<std::string> conninfos;
  const auto admin = PgConnection::connect(store.conninfo("postgres"));
  for (std::size_t i = 0; i < count; ++i) {
    const std::string name = "conformance_reindex_" + std::to_string(i + 1);
    admin->exec("CREATE DATABASE " + admin->quote_identifier(name) + " TEMPLATE " +
                admin->quote_identifier(kDefaultDatabaseName));
    conninfos.push_back(store.conninfo(name));
  }
  return conninfos;
}

void check_real_reindex(ConformanceSetting& setting, const std::string& algorithm) {
  const std::string name = "deterministic-across-batches-and-threads";
  CheckRecorder& checks = setting.checks;
  checks.note("starting a throwaway PostgreSQL cluster");
  ThrowawayStore store(setting.keep_home);
  if (setting.keep_home) {
    checks.report().kept_home = store.home().string();
  }
  const std::string conninfo = store.conninfo();
  try {
    checks.note("creating and seeding a store, bringing it to 2.0 for a reindex");
    create_sample_store(conninfo, setting.globals.operator_name);
    migrate_sample_store(conninfo, setting.globals, setting.installed, "2.0", setting.err);
    if (algorithm_of_store(conninfo) == algorithm) {
      // The store must start on another algorithm for a reindex to the plugin's to do anything.
      const std::vector<std::string> installed = installed_reindex_algorithms(setting.installed);
      const auto other = std::find_if(installed.begin(), installed.end(),
                                      [&](const std::string& id) { return id != algorithm; });
      if (other == installed.end()) {
        throw sdk::Error(sdk::ErrorCode::refused,
                         "the sample store is already at " + algorithm +
                             " and no other installed reindexer can move it away first");
      }
      checks.note("moving the store to " + *other + " first");
      ReindexRequest away;
      away.algorithm = *other;
      away.operator_name = setting.globals.operator_name;
      ReindexObserver quiet;
      run_reindex(conninfo, setting.installed, away, quiet);
    }
  } catch (const std::exception& error) {
    stop_if_interrupted(error);
    checks.skip(name, std::string("no real reindex was run: the sample store could not be "
                                  "prepared with the installed plugins: ") +
                          error.what());
    return;
  }

  const std::vector<std::string> copies = copies_of_store(store, std::size(kReindexSettings));
  std::optional<std::string> first_root;
  std::vector<std::string> results;
  std::vector<std::string> problems;
  for (std::size_t i = 0; i < copies.size(); ++i) {
    const ReindexSetting& run = kReindexSettings[i];
    const std::string label = "--batch-size " + std::to_string(run.batch_size) + " --parallel " +
                              std::to_string(run.parallel);
    checks.note("reindex to " + algorithm + " with " + label);
    ReindexRequest request;
    request.algorithm = algorithm;
    request.batch_size = run.batch_size;
    request.parallel = run.parallel;
    request.operator_name = setting.globals.operator_name;
    ReindexObserver quiet;
    try {
      const ReindexOutcome outcome = run_reindex(copies[i], setting.tested, request, quiet);
      results.push_back(label + ": new global root " + outcome.new_global_root);
      if (outcome.kind != ReindexResultKind::sealed) {
        problems.push_back(label +
                           ": the reindex did not seal a new generation: " + outcome.message);
      } else if (!first_root) {
        first_root = outcome.new_global_root;
      } else if (outcome.new_global_root != *first_root) {
        problems.push_back(label + " gave the new global root " + outcome.new_global_root +
                           "; the first run gave " + *first_root);
      }
    } catch (const std::exception& error) {
      stop_if_interrupted(error);
      problems.push_back(label + ": the reindex failed: " + error.what());
    }
  }
  if (problems.empty()) {
    checks.pass(name, "reindexing copies of the sample store with " +
                          std::to_string(copies.size()) +
                          " different --batch-size and --parallel settings gave the same new "
                          "global root " +
                          first_root.value_or(""));
    return;
  }
  for (auto& line : results) {
    problems.push_back(std::move(line));
  }
  checks.fail(name, "real reindex runs with different batch sizes and threads disagree",
              "the same new roots whatever --batch-size and --parallel", problems.front(),
              problems);
}

}  // namespace

void run_reindexer_checks(ConformanceSetting& setting) {
  const std::unique_ptr<sdk::Reindexer> reindexer =
      setting.tested.create_reindexer(setting.record().manifest.algorithms.at(0));
  const std::vector<std::string> inputs = test_inputs();
  setting.checks.note("hashing the published vectors and " + std::to_string(inputs.size()) +
                      " test inputs");
  unless_the_plugin_throws(setting, "digest-size", [&] { check_digest_size(setting, *reindexer); });
  unless_the_plugin_throws(setting, "published-vectors",
                           [&] { check_published_vectors(setting, *reindexer); });
  unless_the_plugin_throws(setting, "openssl-agreement",
                           [&] { check_openssl_agreement(setting, *reindexer, inputs); });
  unless_the_plugin_throws(setting, "rfc9162-leaf-and-node",
                           [&] { check_rfc9162(setting, *reindexer, inputs); });
  unless_the_plugin_throws(setting, "deterministic-across-chunks-and-threads",
                           [&] { check_chunks_and_threads(setting, *reindexer, inputs); });
  check_real_reindex(setting, reindexer->algorithm_id());
}

}  // namespace stella::host
