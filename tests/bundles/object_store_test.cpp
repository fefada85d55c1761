// The filesystem object-store layout (docs/bundle-format.md): a sample made from an export — as an
// evidence service would keep the same bundles on disk — verifies, imports with the same tenant
// roots, and is refused when it holds a link or a changed payload.
#include <boost/test/unit_test.hpp>

#include "bundles/bundle_test_support.hpp"
#include "stella/host/conformance/object_store_sample.hpp"

namespace stella::test {
namespace {

struct ObjectStoreSample {
  ScratchDir dir;
  fs::path store = dir.path() / "locker";
  ObjectStoreSample() {
    export_to(shared_source_store(), dir.path() / "export", {"--all"});
    host::write_object_store_sample(dir.path() / "export", store);
  }
  std::string first_payload() const {
    const ProcessResult found =
        run_shell("find tenants -path '*/payload/*' -type f | sort | head -1", {}, store.string());
    return found.out.substr(0, found.out.size() - 1);
  }
};

}  // namespace

BOOST_AUTO_TEST_SUITE(object_store_importer)

BOOST_AUTO_TEST_CASE(an_object_store_verifies_and_imports_with_the_same_tenant_roots) {
  ObjectStoreSample sample;
  const ProcessResult verified =
      run_stella({"evidence", "verify-bundle", "--format", "json", sample.store.string()});
  BOOST_CHECK_MESSAGE(verified.exit_code == 0, verified.out << verified.err);
  const auto report = valid_json(verified.out, "verify-bundle-report.schema.json");
  BOOST_CHECK_EQUAL(report["bundles"][0]["sourceFormat"].GetString(), std::string("object-store"));
  BOOST_CHECK_EQUAL(report["bundles"][0]["counts"]["signaturesVerified"].GetInt64(), 12);

  BundleStore target("bundles_object_store");
  const ProcessResult imported =
      target.stella({"evidence", "import", "--format", "json", sample.store.string()});
  BOOST_REQUIRE_MESSAGE(imported.exit_code == 0, imported.err);
  const auto summary = valid_json(imported.out, "import-summary.schema.json");
  BOOST_CHECK_EQUAL(summary["sources"][0]["plugin"].GetString(),
                    std::string("importer-object-store"));
  // An object store declares bundle roots only; the tenant and global roots it rebuilds are the
  // source store's, because they are the same bundles.
  BOOST_CHECK_EQUAL(target.roots()["globalRoot"].GetString(),
                    std::string(shared_source_store().roots()["globalRoot"].GetString()));
  const ProcessResult verify_all = target.stella({"evidence", "verify-all"});
  BOOST_CHECK_MESSAGE(verify_all.exit_code == 0, verify_all.out << verify_all.err);
}

BOOST_AUTO_TEST_CASE(a_changed_payload_is_refused_and_named) {
  ObjectStoreSample sample;
  const std::string payload = sample.first_payload();
  write_text(sample.store / payload, read_text(sample.store / payload) + " ");
  BundleStore target("bundles_object_store_changed");
  const ProcessResult refused = target.stella({"evidence", "import", sample.store.string()});
  BOOST_CHECK_EQUAL(refused.exit_code, 1);
  BOOST_CHECK(mentions(refused.err, "artifact_size"));
  BOOST_CHECK(mentions(refused.err, payload));
  BOOST_CHECK(!target.has_store());
}

BOOST_AUTO_TEST_CASE(a_link_in_an_object_store_is_refused) {
  ObjectStoreSample sample;
  const std::string payload = sample.first_payload();
  fs::remove(sample.store / payload);
  fs::create_symlink("/etc/passwd", sample.store / payload);
  BundleStore target("bundles_object_store_link");
  const ProcessResult refused = target.stella({"evidence", "import", sample.store.string()});
  BOOST_CHECK_EQUAL(refused.exit_code, 2);
  BOOST_CHECK(mentions(refused.err, payload + "' is a symbolic link"));
  BOOST_CHECK(!target.has_store());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace stella::test
