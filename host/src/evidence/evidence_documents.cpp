// Document generators for seeded evidence.
#include "evidence/evidence_documents.hpp"

#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <array>
#include <functional>

namespace stella::host {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

/// Room the closing of a document takes after its last list entry.
constexpr std::size_t kClosingReserve = 48;
constexpr int kMaxMajorVersion = 12;
constexpr int kMaxMinorVersion = 30;
constexpr int kMaxPatchVersion = 40;
constexpr int kFirstCveYear = 2018;
constexpr int kLastCveYear = 2025;
constexpr int kMinCveNumber = 1000;
constexpr int kMaxCveNumber = 49999;
constexpr int kDigestBytes = 32;
constexpr int kCvssTenths = 100;

struct Package {
  const char* ecosystem;
  const char* name;
  const char* license;
};

constexpr std::array<Package, 24> kPackages = {{
    {"npm", "lodash", "MIT"},
    {"npm", "express", "MIT"},
    {"npm", "axios", "MIT"},
    {"npm", "jsonwebtoken", "MIT"},
    {"npm", "minimist", "MIT"},
    {"npm", "semver", "ISC"},
    {"maven", "org.apache.logging.log4j/log4j-core", "Apache-2.0"},
    {"maven", "com.fasterxml.jackson.core/jackson-databind", "Apache-2.0"},
    {"maven", "org.springframework/spring-core", "Apache-2.0"},
    {"maven", "org.yaml/snakeyaml", "Apache-2.0"},
    {"maven", "io.netty/netty-handler", "Apache-2.0"},
    {"pypi", "requests", "Apache-2.0"},
    {"pypi", "urllib3", "MIT"},
    {"pypi", "django", "BSD-3-Clause"},
    {"pypi", "pyyaml", "MIT"},
    {"pypi", "cryptography", "Apache-2.0"},
    {"golang", "github.com/gin-gonic/gin", "MIT"},
    {"golang", "golang.org/x/net", "BSD-3-Clause"},
    {"golang", "google.golang.org/grpc", "Apache-2.0"},
    {"deb", "debian/openssl", "Apache-2.0"},
    {"deb", "debian/zlib1g", "Zlib"},
    {"deb", "debian/libc6", "LGPL-2.1-or-later"},
    {"deb", "debian/curl", "curl"},
    {"deb", "debian/libxml2", "MIT"},
}};

constexpr std::array<const char*, 4> kSeverities = {"LOW", "MEDIUM", "HIGH", "CRITICAL"};
constexpr std::array<const char*, 4> kVexStatuses = {"not_affected", "affected", "fixed",
                                                     "under_investigation"};
constexpr std::array<const char*, 3> kJustifications = {"vulnerable_code_not_in_execute_path",
                                                        "component_not_present",
                                                        "inline_mitigations_already_exist"};
constexpr std::array<const char*, 3> kScanners = {"trivy", "grype", "stella-scanner"};
constexpr std::array<const char*, 5> kPolicyRules = {"no-critical-vulnerabilities", "sbom-present",
                                                     "signed-provenance", "approved-licenses",
                                                     "no-secrets-in-image"};
constexpr std::array<const char*, 4> kSecretKinds = {"aws-access-key", "github-token",
                                                     "private-key", "slack-webhook"};

struct DocumentType {
  const char* path_stem;
  const char* media_type;
  void (*write)(Writer&, rapidjson::StringBuffer&, const DocumentContext&, std::size_t,
                SeedRandom&);
};

std::string version(SeedRandom& random) {
  return std::to_string(random.between(0, kMaxMajorVersion)) + "." +
         std::to_string(random.between(0, kMaxMinorVersion)) + "." +
         std::to_string(random.between(0, kMaxPatchVersion));
}

const Package& package(SeedRandom& random) {
  return kPackages[random.below(kPackages.size())];
}

std::string purl(const Package& pkg, const std::string& ver) {
  return std::string("pkg:") + pkg.ecosystem + "/" + pkg.name + "@" + ver;
}

std::string cve(SeedRandom& random) {
  return "CVE-" + std::to_string(random.between(kFirstCveYear, kLastCveYear)) + "-" +
         std::to_string(random.between(kMinCveNumber, kMaxCveNumber));
}

template <std::size_t N>
const char* pick(const std::array<const char*, N>& options, SeedRandom& random) {
  return options[random.below(N)];
}

bool room_for_more(const rapidjson::StringBuffer& buffer, std::size_t target) {
  return buffer.GetSize() + kClosingReserve < target;
}

void member(Writer& writer, const char* key, const std::string& value) {
  writer.Key(key);
  writer.String(value);
}
void member(Writer& writer, const char* key, std::string_view value) {
  writer.Key(key);
  writer.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}
void member(Writer& writer, const char* key, const char* value) {
  writer.Key(key);
  writer.String(value);
}

/// Adds entries with `entry` until the document reaches its target size (at least one entry).
void fill_list(Writer& writer, rapidjson::StringBuffer& buffer, std::size_t target,
               const std::function<void()>& entry) {
  writer.StartArray();
  do {
    entry();
  } while (room_for_more(buffer, target));
  writer.EndArray();
}

void write_cyclonedx(Writer& w, rapidjson::StringBuffer& buffer, const DocumentContext& context,
                     std::size_t target, SeedRandom& random) {
  w.StartObject();
  member(w, "bomFormat", "CycloneDX");
  member(w, "specVersion", "1.5");
  member(w, "serialNumber",
         "urn:uuid:" + random.hex(4) + "-" + random.hex(2) + "-" + random.hex(2) + "-" +
             random.hex(2) + "-" + random.hex(6));
  w.Key("version");
  w.Int(1);
  w.Key("metadata");
  w.StartObject();
  w.Key("component");
  w.StartObject();
  member(w, "type", "container");
  member(w, "name", context.subject);
  w.EndObject();
  w.EndObject();
  w.Key("components");
  fill_list(w, buffer, target, [&] {
    const Package& pkg = package(random);
    const std::string ver = version(random);
    w.StartObject();
    member(w, "type", "library");
    member(w, "name", pkg.name);
    member(w, "version", ver);
    member(w, "purl", purl(pkg, ver));
    w.Key("hashes");
    w.StartArray();
    w.StartObject();
    member(w, "alg", "SHA-256");
    member(w, "content", random.hex(kDigestBytes));
    w.EndObject();
    w.EndArray();
    w.EndObject();
  });
  w.EndObject();
}

void write_openvex(Writer& w, rapidjson::StringBuffer& buffer, const DocumentContext& context,
                   std::size_t target, SeedRandom& random) {
  w.StartObject();
  member(w, "@context", "https://openvex.dev/ns/v0.2.0");
  member(w, "@id",
         "https://vex." + std::string(context.tenant_id) + ".example/" +
             std::string(context.bundle_id));
  member(w, "author", "security@" + std::string(context.tenant_id) + ".example");
  w.Key("version");
  w.Int(1);
  w.Key("statements");
  fill_list(w, buffer, target, [&] {
    const Package& pkg = package(random);
    const char* status = pick(kVexStatuses, random);
    w.StartObject();
    w.Key("vulnerability");
    w.StartObject();
    member(w, "name", cve(random));
    w.EndObject();
    w.Key("products");
    w.StartArray();
    w.StartObject();
    member(w, "@id", purl(pkg, version(random)));
    w.EndObject();
    w.EndArray();
    member(w, "status", status);
    if (std::string_view(status) == "not_affected") {
      member(w, "justification", pick(kJustifications, random));
    }
    w.EndObject();
  });
  w.EndObject();
}

void write_vulnerability_scan(Writer& w, rapidjson::StringBuffer& buffer,
                              const DocumentContext& context, std::size_t target,
                              SeedRandom& random) {
  w.StartObject();
  w.Key("scanner");
  w.StartObject();
  member(w, "name", pick(kScanners, random));
  member(w, "version", version(random));
  w.EndObject();
  member(w, "target", context.subject);
  w.Key("findings");
  fill_list(w, buffer, target, [&] {
    const Package& pkg = package(random);
    const std::string installed = version(random);
    w.StartObject();
    member(w, "id", cve(random));
    member(w, "severity", pick(kSeverities, random));
    w.Key("cvss");
    w.Double(static_cast<double>(random.between(1, kCvssTenths)) / 10.0);
    member(w, "package", purl(pkg, installed));
    member(w, "installedVersion", installed);
    member(w, "fixedVersion", version(random));
    w.EndObject();
  });
  w.EndObject();
}

void write_policy_verdict(Writer& w, rapidjson::StringBuffer& buffer,
                          const DocumentContext& context, std::size_t target, SeedRandom& random) {
  w.StartObject();
  w.Key("policy");
  w.StartObject();
  member(w, "name", std::string(context.tenant_id) + "-release-gate");
  member(w, "version", version(random));
  member(w, "digest", "sha256:" + random.hex(kDigestBytes));
  w.EndObject();
  member(w, "subject", context.subject);
  member(w, "verdict", random.percent(85) ? "pass" : (random.percent(50) ? "warn" : "fail"));
  w.Key("rules");
  fill_list(w, buffer, target, [&] {
    w.StartObject();
    member(w, "id", pick(kPolicyRules, random));
    member(w, "result", random.percent(90) ? "pass" : "fail");
    member(w, "evidence", "sha256:" + random.hex(kDigestBytes));
    w.EndObject();
  });
  w.EndObject();
}

void write_provenance(Writer& w, rapidjson::StringBuffer& buffer, const DocumentContext& context,
                      std::size_t target, SeedRandom& random) {
  w.StartObject();
  member(w, "buildType", "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1");
  w.Key("builder");
  w.StartObject();
  member(w, "id",
         "https://ci." + std::string(context.tenant_id) + ".example/runners/" + random.hex(4));
  w.EndObject();
  member(w, "invocationId", random.hex(16));
  w.Key("resolvedDependencies");
  fill_list(w, buffer, target, [&] {
    const Package& pkg = package(random);
    w.StartObject();
    member(w, "uri", purl(pkg, version(random)));
    w.Key("digest");
    w.StartObject();
    member(w, "sha256", random.hex(kDigestBytes));
    w.EndObject();
    w.EndObject();
  });
  w.EndObject();
}

void write_license_report(Writer& w, rapidjson::StringBuffer& buffer,
                          const DocumentContext& context, std::size_t target, SeedRandom& random) {
  w.StartObject();
  member(w, "target", context.subject);
  member(w, "tool", "stella-license-scanner");
  w.Key("licenses");
  fill_list(w, buffer, target, [&] {
    const Package& pkg = package(random);
    w.StartObject();
    member(w, "package", purl(pkg, version(random)));
    member(w, "license", pkg.license);
    member(w, "approved", random.percent(95) ? "yes" : "review");
    w.EndObject();
  });
  w.EndObject();
}

void write_secret_scan(Writer& w, rapidjson::StringBuffer& buffer, const DocumentContext& context,
                       std::size_t target, SeedRandom& random) {
  w.StartObject();
  member(w, "target", context.subject);
  member(w, "scanner", "stella-secrets");
  w.Key("layers");
  fill_list(w, buffer, target, [&] {
    w.StartObject();
    member(w, "digest", "sha256:" + random.hex(kDigestBytes));
    w.Key("findings");
    w.StartArray();
    if (random.percent(10)) {
      w.StartObject();
      member(w, "rule", pick(kSecretKinds, random));
      member(w, "file", "/app/config/" + random.hex(4) + ".env");
      member(w, "status", "revoked");
      w.EndObject();
    }
    w.EndArray();
    w.EndObject();
  });
  w.EndObject();
}

void write_reachability(Writer& w, rapidjson::StringBuffer& buffer, const DocumentContext& context,
                        std::size_t target, SeedRandom& random) {
  w.StartObject();
  member(w, "target", context.subject);
  member(w, "analysis", "static-callgraph");
  w.Key("vulnerabilities");
  fill_list(w, buffer, target, [&] {
    w.StartObject();
    member(w, "id", cve(random));
    member(w, "reachable", random.percent(20) ? "yes" : "no");
    w.Key("entryPoints");
    w.Int64(random.between(0, kMaxMinorVersion));
    w.EndObject();
  });
  w.EndObject();
}

constexpr std::array<DocumentType, kEvidenceDocumentTypes> kTypes = {{
    {"sbom/cyclonedx", "application/vnd.cyclonedx+json", &write_cyclonedx},
    {"vex/openvex", "application/openvex+json", &write_openvex},
    {"scans/vulnerabilities", "application/vnd.stella.scan-result+json", &write_vulnerability_scan},
    {"policy/verdict", "application/vnd.stella.policy-verdict+json", &write_policy_verdict},
    {"provenance/slsa", "application/vnd.in-toto.provenance+json", &write_provenance},
    {"scans/licenses", "application/vnd.stella.license-report+json", &write_license_report},
    {"scans/secrets", "application/vnd.stella.secret-scan+json", &write_secret_scan},
    {"reachability/summary", "application/vnd.stella.reachability+json", &write_reachability},
}};

}  // namespace

EvidenceDocument generate_evidence_document(int index, const DocumentContext& context,
                                            std::size_t target_bytes, SeedRandom& random) {
  const DocumentType& type = kTypes[static_cast<std::size_t>(index % kEvidenceDocumentTypes)];
  const int round = index / kEvidenceDocumentTypes;
  rapidjson::StringBuffer buffer;
  Writer writer(buffer);
  type.write(writer, buffer, context, target_bytes, random);
  EvidenceDocument document;
  document.path = std::string(type.path_stem) +
                  (round == 0 ? std::string() : "-" + std::to_string(round + 1)) + ".json";
  document.media_type = type.media_type;
  document.content.assign(buffer.GetString(), buffer.GetSize());
  return document;
}

}  // namespace stella::host
