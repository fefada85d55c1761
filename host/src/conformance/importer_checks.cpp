// The checks of a storage importer: it reads a valid source of its format that the host exported
// from the throwaway store, and it refuses every source of the host's bad-input corpus with
// sdk::Error(invalid_input) — an importer that accepts everything fails as surely as one that
// refuses everything.
#include <optional>
#include <ostream>

#include "bundles/importer_context.hpp"
#include "conformance/conformance_setting.hpp"
#include "conformance/fifo_writers.hpp"
#include "conformance/peak_memory.hpp"
#include "conformance/sample_store.hpp"
#include "conformance/throwaway_store.hpp"
#include "stella/host/bundles/bundle_export.hpp"
#include "stella/host/bundles/bundle_format.hpp"
#include "stella/host/bundles/source_verification.hpp"
#include "stella/host/conformance/hostile_corpus.hpp"
#include "stella/host/conformance/object_store_sample.hpp"
#include "stella/sdk/error.hpp"

namespace fs = std::filesystem;

namespace stella::host {
namespace {

constexpr const char* kBundleDirFormat = "bundle-dir";
constexpr const char* kPortableFormat = "portable-tar-gz";
constexpr const char* kObjectStoreFormat = "object-store";
constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
/// How far reading one corpus source may raise the process's peak memory. Every source is a few
/// MiB at most; the declared-size lie declares a gigabyte.
constexpr std::uint64_t kCorpusPeakMemoryGrowth = 128 * kMiB;

/// Takes whatever the importer sends and counts it: the corpus checks that the importer itself
/// refuses, not that the host's verifier would catch what it let through.
class AcceptingSink final : public sdk::ImportSink {
 public:
  void source_manifest(const std::string&) override { ++records_; }
  void tenant(const sdk::ImportedTenant&) override { ++records_; }
  void signing_key(const sdk::ImportedSigningKey&) override { ++records_; }
  void bundle(const sdk::ImportedBundle&) override { ++records_; }
  void artifact(const sdk::ImportedArtifact&) override { ++records_; }
  void attestation(const sdk::ImportedAttestation&) override { ++records_; }
  void declared_root(const sdk::DeclaredRoot&) override { ++records_; }
  void proof(const sdk::ImportedProof&) override { ++records_; }
  void problem(const sdk::SourceProblem&) override { ++problems_; }

  std::int64_t records() const { return records_; }
  std::int64_t problems() const { return problems_; }

 private:
  std::int64_t records_ = 0;
  std::int64_t problems_ = 0;
};

const char* error_code_name(sdk::ErrorCode code) {
  switch (code) {
    case sdk::ErrorCode::invalid_input:
      return "invalid_input";
    case sdk::ErrorCode::refused:
      return "refused";
    case sdk::ErrorCode::verification_failed:
      return "verification_failed";
    case sdk::ErrorCode::cancelled:
      return "cancelled";
    case sdk::ErrorCode::internal:
      return "internal";
  }
  return "unknown";
}

/// The importer under test runs silently: the checks report what it did.
GlobalOptions silent_globals() {
  GlobalOptions globals;
  globals.quiet = true;
  return globals;
}

/// The samples the host can write, by source format.
struct ValidSamples {
  fs::path directory;
  fs::path portable;
  fs::path object_store;
  ExportSummary summary;
};

ValidSamples export_samples(const ThrowawayStore& store, const std::string& operator_name) {
  ValidSamples samples;
  const fs::path scratch = store.scratch("exports");
  ExportOptions options;
  options.all_tenants = true;
  options.include_proofs = true;
  options.operator_name = operator_name;
  options.output = (scratch / "evidence").string();
  samples.summary = export_evidence(store.conninfo(), options);
  samples.directory = samples.summary.output;
  options.portable = true;
  options.output = (scratch / "evidence.tar.gz").string();
  samples.portable = export_evidence(store.conninfo(), options).output;
  samples.object_store = scratch / "object-store";
  write_object_store_sample(samples.directory, samples.object_store);
  return samples;
}

void check_positive_control(ConformanceSetting& setting, const ValidSamples& samples,
                            const std::string& format) {
  const std::string name = "reads-valid-source";
  fs::path location;
  if (format == kBundleDirFormat) {
    location = samples.directory;
  } else if (format == kPortableFormat) {
    location = samples.portable;
  } else if (format == kObjectStoreFormat) {
    location = samples.object_store;
  } else {
    setting.checks.skip(name, "the host cannot write a valid sample of source format '" + format +
                                  "' (it writes bundle-dir, portable-tar-gz and object-store): "
                                  "that the importer reads valid sources was not checked; test "
                                  "it on a real export of its source system");
    return;
  }
  ImporterContext context(setting.err, silent_globals());
  try {
    const VerifiedSource source =
        verify_source(setting.tested, location.string(), format,
                      bundle_format::default_import_limits(), context, UnreadableSource::refuse);
    const SourceVerification& result = source.result;
    std::vector<std::string> problems;
    for (const auto& problem : result.problems) {
      problems.push_back(problem.check + " " + problem.file + ": " + problem.message);
    }
    if (result.bundles != samples.summary.bundles) {
      problems.push_back("read " + std::to_string(result.bundles) + " bundles; the export holds " +
                         std::to_string(samples.summary.bundles));
    }
    if (result.artifacts != samples.summary.artifacts) {
      problems.push_back("read " + std::to_string(result.artifacts) +
                         " artifacts; the export holds " +
                         std::to_string(samples.summary.artifacts));
    }
    if (result.problem_count == 0 && problems.empty()) {
      setting.checks.pass(name, "read the host's " + format + " export of the sample store (" +
                                    std::to_string(result.bundles) + " bundles, " +
                                    std::to_string(result.artifacts) +
                                    " artifacts) and every digest, root and proof verified");
      return;
    }
    setting.checks.fail(name, "the host's valid " + format + " export did not read back intact",
                        std::to_string(samples.summary.bundles) + " bundles and " +
                            std::to_string(samples.summary.artifacts) +
                            " artifacts, every digest and root verified",
                        std::to_string(result.problem_count) +
                            " problems: " + (problems.empty() ? std::string() : problems.front()),
                        problems);
  } catch (const std::exception& error) {
    setting.checks.fail(name, "the importer refused the host's valid " + format + " export",
                        "a valid source is read", error.what(), {location.string()});
  }
}

void check_refuses_bad_input(ConformanceSetting& setting, const ValidSamples& samples,
                             const std::string& format) {
  const std::string name = "refuses-bad-input";
  const fs::path scratch = samples.directory.parent_path() / "corpus";
  fs::create_directories(scratch);
  const std::vector<HostileSource> corpus = build_hostile_corpus(samples.directory, scratch);
  const std::unique_ptr<sdk::StorageImporter> importer = setting.tested.create_importer(format);
  ImporterContext context(setting.err, silent_globals());
  std::vector<std::string> failures;
  std::string memory_unmeasured;
  for (const HostileSource& source : corpus) {
    AcceptingSink sink;
    const std::string label = source.name + " (" + source.defect + ")";
    const PeakMemoryWindow memory;
    try {
      const FifoWriters fifo_writers(source.fifos);
      importer->read(source.location.string(), source.limits, sink, context);
      failures.push_back(label + ": read() returned normally after sending " +
                         std::to_string(sink.records()) + " records and " +
                         std::to_string(sink.problems()) + " problems");
    } catch (const sdk::Error& error) {
      if (error.code() != sdk::ErrorCode::invalid_input) {
        failures.push_back(label + ": refused with " + error_code_name(error.code()) +
                           " instead of invalid_input: " + error.what());
      }
    } catch (const std::exception& error) {
      failures.push_back(label +
                         ": threw a non-SDK exception instead of sdk::Error: " + error.what());
    }
    const std::optional<std::uint64_t> growth = memory.growth();
    if (!growth) {
      memory_unmeasured = memory.unavailable_reason();
    } else if (*growth > kCorpusPeakMemoryGrowth) {
      failures.push_back(label + ": peak memory rose by " + std::to_string(*growth / kMiB) +
                         " MiB while reading it (at most " +
                         std::to_string(kCorpusPeakMemoryGrowth / kMiB) +
                         " MiB): memory must follow the bytes read, not the sizes a source "
                         "declares");
    }
  }
  if (failures.empty()) {
    setting.checks.pass(
        name,
        "every one of the " + std::to_string(corpus.size()) +
            " sources of the host's bad-input corpus (directories and tar.gz) was refused "
            "with invalid_input" +
            (memory_unmeasured.empty() ? ", none raising peak memory by more than " +
                                             std::to_string(kCorpusPeakMemoryGrowth / kMiB) + " MiB"
                                       : "; peak memory was not measured: " + memory_unmeasured));
    return;
  }
  setting.checks.fail(name, "sources of the host's bad-input corpus were not refused as they must",
                      "read() throws sdk::Error(invalid_input) for each of the " +
                          std::to_string(corpus.size()) +
                          " corpus sources, raising peak memory by at most " +
                          std::to_string(kCorpusPeakMemoryGrowth / kMiB) + " MiB",
                      std::to_string(failures.size()) +
                          " not refused with invalid_input, or refused with more memory",
                      failures);
}

}  // namespace

void run_importer_checks(ConformanceSetting& setting) {
  const std::string format = setting.record().manifest.source_formats.at(0);
  CheckRecorder& checks = setting.checks;
  checks.note("starting a throwaway PostgreSQL cluster");
  ThrowawayStore store(setting.keep_home);
  if (setting.keep_home) {
    checks.report().kept_home = store.home().string();
  }
  checks.note(
      "creating and seeding a store, exporting it as bundle-dir, portable-tar-gz and "
      "object-store");
  create_sample_store(store.conninfo(), setting.globals.operator_name);
  const ValidSamples samples = export_samples(store, setting.globals.operator_name);
  checks.note("reading the valid " + format + " sample");
  check_positive_control(setting, samples, format);
  checks.note("feeding the bad-input corpus");
  check_refuses_bad_input(setting, samples, format);
}

}  // namespace stella::host
