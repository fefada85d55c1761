#include "bundles/bundle_reports.hpp"

#include <ostream>

#include <rapidjson/document.h>

#include "stella/host/cli/counted_noun.hpp"
#include "stella/host/json/json_write.hpp"

namespace stella::host {
namespace {

using rapidjson::Value;

class Json {
 public:
  Json() { document_.SetObject(); }
  rapidjson::Document::AllocatorType& a() { return document_.GetAllocator(); }
  Value text(const std::string& value) {
    return Value(value.c_str(), static_cast<rapidjson::SizeType>(value.size()), a());
  }
  Value text_or_null(const std::string& value) { return value.empty() ? Value() : text(value); }
  void add(Value& object, const char* name, Value value) {
    object.AddMember(rapidjson::StringRef(name), value, a());
  }
  Value& root() { return document_; }
  std::string finish() { return json_to_string(document_, JsonLayout::pretty) + "\n"; }

 private:
  rapidjson::Document document_;
};

Value tenant_roots_json(Json& j, const std::vector<StoredTenantRoot>& tenants) {
  Value list(rapidjson::kArrayType);
  for (const StoredTenantRoot& tenant : tenants) {
    Value item(rapidjson::kObjectType);
    j.add(item, "tenant", j.text(tenant.tenant_id));
    j.add(item, "root", j.text(tenant.root));
    j.add(item, "bundles", Value(static_cast<std::int64_t>(tenant.bundle_count)));
    j.add(item, "artifacts", Value(static_cast<std::int64_t>(tenant.artifact_count)));
    list.PushBack(item, j.a());
  }
  return list;
}

const char* pass_or_fail(bool passed) {
  return passed ? "pass" : "fail";
}

std::string where(const BundleProblem& problem) {
  if (!problem.file.empty()) {
    return problem.file;
  }
  std::string text = problem.tenant;
  for (const std::string* part : {&problem.bundle, &problem.artifact}) {
    if (!part->empty()) {
      text += (text.empty() ? "" : "/") + *part;
    }
  }
  return text;
}

}  // namespace

std::string export_summary_json(const ExportSummary& s) {
  Json j;
  Value& root = j.root();
  j.add(root, "output", j.text(s.output));
  j.add(root, "layout", j.text(s.layout));
  j.add(root, "schemaVersion", j.text(s.schema_version));
  j.add(root, "algorithm", j.text(s.algorithm));
  j.add(root, "createdAt", j.text(s.created_at));
  j.add(root, "globalRoot", j.text(s.global_root));
  j.add(root, "manifestDigest", j.text(s.manifest_digest));
  j.add(root, "archiveDigest", j.text_or_null(s.archive_digest));
  j.add(root, "scope", j.text(s.scope));
  Value options(rapidjson::kObjectType);
  j.add(options, "includeAttestations", Value(s.include_attestations));
  j.add(options, "includeProofs", Value(s.include_proofs));
  j.add(options, "includeSchemas", Value(s.include_schemas));
  j.add(root, "options", std::move(options));
  j.add(root, "tenants", tenant_roots_json(j, s.tenants));
  Value counts(rapidjson::kObjectType);
  j.add(counts, "tenants", Value(static_cast<std::int64_t>(s.tenants.size())));
  j.add(counts, "bundles", Value(static_cast<std::int64_t>(s.bundles)));
  j.add(counts, "artifacts", Value(static_cast<std::int64_t>(s.artifacts)));
  j.add(counts, "artifactBytes", Value(static_cast<std::int64_t>(s.artifact_bytes)));
  j.add(counts, "attestations", Value(static_cast<std::int64_t>(s.attestations)));
  j.add(counts, "proofs", Value(static_cast<std::int64_t>(s.proofs)));
  j.add(counts, "files", Value(static_cast<std::uint64_t>(s.files)));
  j.add(root, "counts", std::move(counts));
  j.add(root, "auditEventId", Value(static_cast<std::int64_t>(s.audit_event_id)));
  return j.finish();
}

void write_export_summary_text(std::ostream& out, const ExportSummary& s) {
  out << "exported " << s.tenants.size() << " tenant" << (s.tenants.size() == 1 ? "" : "s") << ", "
      << s.bundles << " bundles, " << s.artifacts << " artifacts, " << s.attestations
      << " attestations, " << s.proofs << " proofs to " << s.output << " (" << s.layout << ", "
      << s.files << " files)\n";
  out << "global root " << s.global_root << " (schema " << s.schema_version << ", computed "
      << s.created_at << ")\n";
  out << "manifest    " << s.manifest_digest << '\n';
  if (!s.archive_digest.empty()) {
    out << "archive     " << s.archive_digest << '\n';
  }
  out << "recorded as audit event " << s.audit_event_id << '\n';
}

std::string import_summary_json(const ImportSummary& s) {
  Json j;
  Value& root = j.root();
  Value sources(rapidjson::kArrayType);
  for (const ImportedSourceSummary& source : s.sources) {
    Value item(rapidjson::kObjectType);
    j.add(item, "path", j.text(source.location));
    j.add(item, "sourceFormat", j.text(source.source_format));
    j.add(item, "plugin", j.text(source.plugin_id));
    j.add(item, "manifestDigest", j.text_or_null(source.manifest_digest));
    j.add(item, "declaredGlobalRoot", j.text_or_null(source.declared_global_root));
    j.add(item, "bundles", Value(static_cast<std::int64_t>(source.bundles)));
    j.add(item, "artifacts", Value(static_cast<std::int64_t>(source.artifacts)));
    sources.PushBack(item, j.a());
  }
  j.add(root, "sources", std::move(sources));
  j.add(root, "nothingToImport", Value(s.nothing_to_import()));
  j.add(root, "storeCreated", Value(s.store_created));
  j.add(root, "schemaVersion", j.text(s.schema_version));
  j.add(root, "algorithm", j.text(s.algorithm));
  Value counts(rapidjson::kObjectType);
  j.add(counts, "bundlesImported", Value(static_cast<std::int64_t>(s.bundles_imported)));
  j.add(counts, "bundlesAlreadyPresent",
        Value(static_cast<std::int64_t>(s.bundles_already_present)));
  j.add(counts, "artifactsImported", Value(static_cast<std::int64_t>(s.artifacts_imported)));
  j.add(counts, "attestationsImported", Value(static_cast<std::int64_t>(s.attestations_imported)));
  j.add(counts, "tenantsCreated", Value(static_cast<std::int64_t>(s.tenants_created)));
  j.add(counts, "signingKeysAdded", Value(static_cast<std::int64_t>(s.signing_keys_added)));
  j.add(root, "counts", std::move(counts));
  j.add(root, "globalRootBefore", j.text_or_null(s.global_root_before));
  j.add(root, "globalRootAfter", j.text_or_null(s.global_root_after));
  j.add(root, "rootsEqualDeclared", Value(s.roots_equal_declared));
  j.add(root, "reindexedTo", j.text_or_null(s.reindexed_to));
  j.add(root, "tenants", tenant_roots_json(j, s.tenant_roots));
  j.add(root, "auditEventId", Value(static_cast<std::int64_t>(s.audit_event_id)));
  return j.finish();
}

void write_import_summary_text(std::ostream& out, const ImportSummary& s) {
  std::string paths;
  for (const ImportedSourceSummary& source : s.sources) {
    paths += (paths.empty() ? "" : ", ") + source.location + " (" + source.source_format + ")";
  }
  if (s.store_created) {
    out << "created an evidence store at schema " << s.schema_version << '\n';
  }
  if (s.nothing_to_import()) {
    out << "nothing to import: " << s.bundles_already_present
        << " bundles already present and identical (from " << paths << ")\n";
  } else {
    out << "imported " << counted(s.bundles_imported, "bundle") << " ("
        << counted(s.artifacts_imported, "artifact") << ", "
        << counted(s.attestations_imported, "attestation") << ") from " << paths << "; "
        << s.bundles_already_present << " already present and identical; "
        << counted(s.tenants_created, "tenant") << " and "
        << counted(s.signing_keys_added, "signing key") << " added\n";
  }
  if (!s.reindexed_to.empty()) {
    out << "reindexed the store to " << s.reindexed_to
        << ", the source's algorithm, so that its roots are the source's\n";
  }
  const std::string store_algorithm = s.global_root_after.substr(0, s.global_root_after.find(':'));
  out << "global root " << s.global_root_after;
  if (s.roots_equal_declared) {
    out << " (every root equals the one the source declares)";
  } else if (!s.algorithm.empty() && s.algorithm != store_algorithm) {
    // Roots of two algorithms never compare equal; the bundles were compared in the store's.
    out << " (" << store_algorithm << ", the store's active algorithm; the source's roots are "
        << s.algorithm << ", so they cannot be equal: its bundles were compared in "
        << store_algorithm << ")";
  } else {
    out << " (the store holds more than the source: its roots cover both)";
  }
  out << '\n';
  out << "recorded as audit event " << s.audit_event_id << '\n';
}

std::string verify_bundle_report_json(const std::vector<VerifiedSource>& sources) {
  Json j;
  Value& root = j.root();
  bool all_passed = true;
  Value list(rapidjson::kArrayType);
  for (const VerifiedSource& source : sources) {
    const SourceVerification& r = source.result;
    all_passed = all_passed && r.passed();
    Value item(rapidjson::kObjectType);
    j.add(item, "path", j.text(source.location));
    j.add(item, "sourceFormat", j.text(source.source_format));
    j.add(item, "plugin", j.text(source.plugin_id));
    j.add(item, "result", j.text(pass_or_fail(r.passed())));
    j.add(item, "algorithm", j.text(r.algorithm));
    j.add(item, "manifestDigest", j.text_or_null(r.manifest_digest));
    j.add(item, "declaredGlobalRoot", j.text_or_null(r.declared_global_root.value_or("")));
    j.add(item, "recomputedGlobalRoot",
          r.global_root_recomputed ? j.text(r.computed_global_root) : Value());
    Value counts(rapidjson::kObjectType);
    j.add(counts, "tenants", Value(static_cast<std::int64_t>(r.tenants.size())));
    j.add(counts, "bundles", Value(static_cast<std::int64_t>(r.bundles)));
    j.add(counts, "artifacts", Value(static_cast<std::int64_t>(r.artifacts)));
    j.add(counts, "artifactBytes", Value(static_cast<std::int64_t>(r.artifact_bytes)));
    j.add(counts, "attestations", Value(static_cast<std::int64_t>(r.attestations)));
    j.add(counts, "proofsVerified", Value(static_cast<std::int64_t>(r.proofs_verified)));
    j.add(counts, "signaturesVerified", Value(static_cast<std::int64_t>(r.signatures_verified)));
    j.add(item, "counts", std::move(counts));
    Value tenants(rapidjson::kArrayType);
    for (const VerifiedTenant& tenant : r.tenants) {
      Value t(rapidjson::kObjectType);
      j.add(t, "tenant", j.text(tenant.tenant));
      j.add(t, "declaredRoot", j.text_or_null(tenant.declared_root.value_or("")));
      j.add(t, "recomputedRoot", j.text(tenant.computed_root));
      j.add(t, "bundles", Value(static_cast<std::int64_t>(tenant.bundles)));
      j.add(t, "artifacts", Value(static_cast<std::int64_t>(tenant.artifacts)));
      j.add(t, "proofVerified", Value(tenant.proof_verified));
      tenants.PushBack(t, j.a());
    }
    j.add(item, "tenants", std::move(tenants));
    j.add(item, "problemCount", Value(static_cast<std::int64_t>(r.problem_count)));
    Value problems(rapidjson::kArrayType);
    for (const BundleProblem& p : r.problems) {
      Value q(rapidjson::kObjectType);
      j.add(q, "check", j.text(p.check));
      j.add(q, "file", j.text(p.file));
      j.add(q, "tenant", j.text(p.tenant));
      j.add(q, "bundle", j.text(p.bundle));
      j.add(q, "artifact", j.text(p.artifact));
      j.add(q, "expected", j.text(p.expected));
      j.add(q, "found", j.text(p.found));
      j.add(q, "message", j.text(p.message));
      problems.PushBack(q, j.a());
    }
    j.add(item, "problems", std::move(problems));
    list.PushBack(item, j.a());
  }
  j.add(root, "result", j.text(pass_or_fail(all_passed)));
  j.add(root, "bundles", std::move(list));
  return j.finish();
}

void write_verify_bundle_report_text(std::ostream& out,
                                     const std::vector<VerifiedSource>& sources) {
  for (const VerifiedSource& source : sources) {
    const SourceVerification& r = source.result;
    out << source.location << ": " << (r.passed() ? "OK" : "FAILED") << " (" << source.source_format
        << ") " << r.tenants.size() << " tenants, " << r.bundles << " bundles, " << r.artifacts
        << " artifacts, " << r.attestations << " attestations, " << r.proofs_verified
        << " proofs and " << r.signatures_verified << " signatures verified\n";
    if (r.declared_global_root) {
      out << "  global root " << *r.declared_global_root
          << (r.global_root_recomputed
                  ? (r.computed_global_root == *r.declared_global_root ? " (recomputed: equal)"
                                                                       : " (recomputed: DIFFERENT)")
              : r.stopped_early ? " (not checked: the source could not be read to its end)"
                                : " (partial export: checked through the tenant proofs)")
          << '\n';
    }
    for (const BundleProblem& p : r.problems) {
      out << "  " << p.check << ": " << p.message;
      if (const std::string place = where(p); !place.empty()) {
        out << " [" << place << "]";
      }
      // On lines of their own, as verify-all prints them: after a long message they ran into it.
      if (!p.expected.empty() || !p.found.empty()) {
        out << "\n      expected " << p.expected << "\n      found    " << p.found;
      }
      out << '\n';
    }
    if (r.problem_count > static_cast<std::int64_t>(r.problems.size())) {
      out << "  ... and " << (r.problem_count - static_cast<std::int64_t>(r.problems.size()))
          << " more problems\n";
    }
  }
}

}  // namespace stella::host
