// Handing out plugin objects: by id, algorithm, source format and edge; lazily; refusing wrong
// kinds, unknown names and ambiguity with messages that say what to do.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "plugin_test_support.hpp"

namespace fs = std::filesystem;
namespace sdk = stella::sdk;
using stella::host::PluginRecord;
using stella::host::PluginRegistry;
using stella::host::PluginStatus;
using namespace stella::test;

namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Checks an sdk::Error's code, message and hint parts.
auto refused_with(std::vector<std::string> message_parts, std::string hint_part = {}) {
  return [message_parts, hint_part](const sdk::Error& e) {
    bool ok = e.code() == sdk::ErrorCode::refused;
    for (const auto& part : message_parts) {
      ok = ok && contains(e.what(), part);
    }
    ok = ok && contains(e.hint(), hint_part);
    if (!ok) {
      BOOST_TEST_MESSAGE("unexpected error: " << e.what() << " / hint: " << e.hint());
    }
    return ok;
  };
}

std::string hex(const sdk::DigestBytes& bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string text;
  for (const auto byte : bytes) {
    text += kHex[byte >> 4];
    text += kHex[byte & 0x0f];
  }
  return text;
}

/// Records what an importer sends, as the host's sink would receive it.
class RecordingSink final : public sdk::ImportSink {
 public:
  void source_manifest(const std::string&) override {}
  void tenant(const sdk::ImportedTenant& tenant) override { tenants.push_back(tenant.tenant); }
  void signing_key(const sdk::ImportedSigningKey&) override {}
  void bundle(const sdk::ImportedBundle& bundle) override { bundles.push_back(bundle); }
  void artifact(const sdk::ImportedArtifact& artifact) override {
    artifacts.push_back(artifact.path + " " + artifact.declared_digest + " " +
                        std::to_string(artifact.bytes.size()));
  }
  void attestation(const sdk::ImportedAttestation&) override {}
  void declared_root(const sdk::DeclaredRoot&) override {}
  void proof(const sdk::ImportedProof&) override {}
  void problem(const sdk::SourceProblem&) override {}
  std::vector<std::string> tenants;
  std::vector<sdk::ImportedBundle> bundles;
  std::vector<std::string> artifacts;
};

/// Limits generous enough for the fixture's one small file.
sdk::ImportLimits test_limits() {
  constexpr std::uint64_t kMegabyte = 1024 * 1024;
  sdk::ImportLimits limits;
  limits.max_total_bytes = kMegabyte;
  limits.max_entries = 1;
  limits.max_json_bytes = kMegabyte;
  limits.max_artifact_bytes = kMegabyte;
  return limits;
}

class QuietContext final : public sdk::HostContext {
 public:
  void log(sdk::LogLevel, std::string_view) noexcept override {}
  void progress(std::uint64_t done, std::uint64_t total) noexcept override {
    last_progress = {done, total};
  }
  bool cancelled() const noexcept override { return false; }
  std::pair<std::uint64_t, std::uint64_t> last_progress{0, 0};
};

}  // namespace

BOOST_AUTO_TEST_CASE(discovery_loads_nothing_and_a_request_loads_only_what_it_needs) {
  PluginRegistry registry = discover_cases({"good"});
  for (const auto& record : registry.plugins()) {
    BOOST_CHECK(record.status == PluginStatus::discovered);
    BOOST_CHECK(record.descriptor == nullptr);
  }
  auto step = registry.create_schema_step("fixture-step");
  BOOST_REQUIRE(step);
  BOOST_CHECK_EQUAL(step->from_version(), "9.0");
  BOOST_CHECK_EQUAL(step->to_version(), "9.1");
  BOOST_CHECK(record_with_id(registry, "fixture-step").status == PluginStatus::loaded);
  BOOST_CHECK(record_with_id(registry, "fixture-good").status == PluginStatus::discovered);
  BOOST_CHECK(record_with_id(registry, "fixture-importer").status == PluginStatus::discovered);
}

BOOST_AUTO_TEST_CASE(a_reindexer_is_found_by_algorithm_and_hashes_for_real) {
  PluginRegistry registry = discover_cases({"good"});
  auto reindexer = registry.create_reindexer("fixture-sha256");
  BOOST_REQUIRE(reindexer);
  BOOST_CHECK_EQUAL(reindexer->algorithm_id(), "fixture-sha256");
  BOOST_CHECK_EQUAL(reindexer->digest_size(), 32u);
  const std::string abc = "abc";
  const sdk::ByteView bytes(reinterpret_cast<const std::uint8_t*>(abc.data()), abc.size());
  // FIPS 180-2 appendix B.1: SHA-256("abc").
  BOOST_CHECK_EQUAL(hex(reindexer->hash(bytes)),
                    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

BOOST_AUTO_TEST_CASE(an_importer_is_found_by_source_format_and_streams_into_the_sink) {
  ScratchDirectory scratch;
  const fs::path source = scratch.path() / "bundle-1";
  std::ofstream(source) << "abc";
  PluginRegistry registry = discover_cases({"good"});
  auto importer = registry.create_importer("fixture-single-file");
  BOOST_REQUIRE(importer);
  BOOST_CHECK(importer->recognizes(source.string()));
  BOOST_CHECK(!importer->recognizes(scratch.path().string()));
  RecordingSink sink;
  QuietContext context;
  importer->read(source.string(), test_limits(), sink, context);
  BOOST_CHECK(sink.tenants == std::vector<std::string>{"fixture"});
  BOOST_REQUIRE_EQUAL(sink.bundles.size(), 1u);
  BOOST_CHECK_EQUAL(sink.bundles[0].bundle_id, "bundle-1");
  BOOST_REQUIRE_EQUAL(sink.artifacts.size(), 1u);
  BOOST_CHECK_EQUAL(
      sink.artifacts[0],
      "content sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad 3");
  BOOST_CHECK(context.last_progress == std::make_pair(std::uint64_t{1}, std::uint64_t{1}));
}

BOOST_AUTO_TEST_CASE(an_sdk_error_thrown_by_plugin_code_reaches_the_host_intact) {
  PluginRegistry registry = discover_cases({"good"});
  auto importer = registry.create_importer("fixture-single-file");
  RecordingSink sink;
  QuietContext context;
  BOOST_CHECK_EXCEPTION(importer->read("/nonexistent/source", test_limits(), sink, context),
                        sdk::Error, [](const sdk::Error& e) {
                          return e.code() == sdk::ErrorCode::invalid_input &&
                                 contains(e.what(), "/nonexistent/source: not a regular file");
                        });
}

BOOST_AUTO_TEST_CASE(an_importer_keeps_to_the_limits_the_host_gives) {
  ScratchDirectory scratch;
  const fs::path source = scratch.path() / "bundle-1";
  std::ofstream(source) << "abc";
  PluginRegistry registry = discover_cases({"good"});
  auto importer = registry.create_importer("fixture-single-file");
  sdk::ImportLimits limits = test_limits();
  limits.max_artifact_bytes = 2;
  RecordingSink sink;
  QuietContext context;
  BOOST_CHECK_EXCEPTION(
      importer->read(source.string(), limits, sink, context), sdk::Error, [&](const sdk::Error& e) {
        return e.code() == sdk::ErrorCode::invalid_input &&
               std::string(e.what()) ==
                   source.string() + ": is 3 bytes; expected at most 2 bytes per artifact";
      });
  BOOST_CHECK(sink.bundles.empty());
}

BOOST_AUTO_TEST_CASE(a_plugin_of_another_kind_is_refused) {
  PluginRegistry registry = discover_cases({"good"});
  BOOST_CHECK_EXCEPTION(registry.create_schema_step("fixture-good"), sdk::Error,
                        refused_with({"plugin 'fixture-good' (",
                                      "/fixture-good/manifest.json) is a reindexer; "
                                      "expected a schema-step"},
                                     "name a schema-step plugin"));
}

BOOST_AUTO_TEST_CASE(an_unknown_id_is_refused_with_a_suggestion) {
  PluginRegistry registry = discover_cases({"good"});
  BOOST_CHECK_EXCEPTION(registry.create_schema_step("fixture-stpe"), sdk::Error,
                        refused_with({"no plugin with id 'fixture-stpe' on the plugin search path; "
                                      "schema-step plugins found: fixture-step"},
                                     "did you mean 'fixture-step'?"));
}

BOOST_AUTO_TEST_CASE(an_unknown_algorithm_is_refused_listing_the_installed_ones) {
  PluginRegistry registry = discover_cases({"good"});
  BOOST_CHECK_EXCEPTION(registry.create_reindexer("fixture-sha265"), sdk::Error,
                        refused_with({"no usable plugin provides hash algorithm 'fixture-sha265'; "
                                      "installed: fixture-sha256 (fixture-good)"},
                                     "did you mean 'fixture-sha256'?"));
  // Case is not a typo's distance: the algorithm named in capitals is found to suggest.
  BOOST_CHECK_EXCEPTION(registry.create_reindexer("FIXTURE-SHA256"), sdk::Error,
                        refused_with({"no usable plugin provides hash algorithm 'FIXTURE-SHA256'"},
                                     "did you mean 'fixture-sha256'?"));
  BOOST_CHECK_EXCEPTION(registry.create_importer("object-store"), sdk::Error,
                        refused_with({"no usable plugin provides source format 'object-store'; "
                                      "installed: fixture-single-file (fixture-importer)"},
                                     "install a storage-importer plugin"));
}

BOOST_AUTO_TEST_CASE(two_providers_of_one_algorithm_are_an_ambiguity_naming_both) {
  PluginRegistry registry = discover_cases({"good", "ambiguous-algorithm"});
  registry.load_all();
  BOOST_CHECK(record_with_id(registry, "fixture-good-twin").status == PluginStatus::loaded);
  const std::string good = (fixture_case("good") / "fixture-good" / "manifest.json").string();
  const std::string twin =
      (fixture_case("ambiguous-algorithm") / "fixture-good-twin" / "manifest.json").string();
  BOOST_CHECK_EXCEPTION(
      registry.create_reindexer("fixture-sha256"), sdk::Error,
      refused_with({"2 plugins provide hash algorithm 'fixture-sha256': fixture-good (" + good +
                    "), fixture-good-twin (" + twin + "); expected exactly one"},
                   "remove all but one of them from the plugin search path"));
}

BOOST_AUTO_TEST_CASE(a_broken_plugin_is_refused_with_its_reason_and_remedy) {
  PluginRegistry registry = discover_cases({"good", "throwing-factory"});
  BOOST_CHECK_EXCEPTION(
      registry.create_reindexer("fixture-throws-sha256"), sdk::Error,
      refused_with({"plugin 'fixture-throws' cannot be used (broken): ",
                    "the factory failed: fixture-throws needs /nonexistent/fixture.key"},
                   "create /nonexistent/fixture.key"));
  // The failure is recorded: the plugin is not tried again.
  BOOST_CHECK(record_with_id(registry, "fixture-throws").status == PluginStatus::broken);
}

BOOST_AUTO_TEST_CASE(schema_edges_are_found_from_manifests_alone) {
  PluginRegistry registry = discover_cases({"good"});
  const PluginRecord& step = registry.schema_step_for_edge("9.0", "9.1");
  BOOST_CHECK_EQUAL(step.manifest.id, "fixture-step");
  BOOST_CHECK(step.status == PluginStatus::discovered);
  BOOST_CHECK_EXCEPTION(registry.schema_step_for_edge("9.1", "9.2"), sdk::Error,
                        refused_with({"no usable plugin provides schema edge '9.1→9.2'; "
                                      "installed: 9.0→9.1 (fixture-step)"}));
}

BOOST_AUTO_TEST_CASE(find_returns_only_usable_plugins) {
  PluginRegistry registry = discover_cases({"good", "mismatch"});
  BOOST_CHECK(registry.find("fixture-good") != nullptr);
  BOOST_CHECK(registry.find("fixture-mismatch") != nullptr);  // not known to be broken yet
  registry.load_all();
  BOOST_CHECK(registry.find("fixture-mismatch") == nullptr);
  BOOST_CHECK(registry.find("no-such-plugin") == nullptr);
}
