// Broken on purpose: down() undoes the expand step and then loses the last artifact row of the
// 1.0 tables. The roots are computed from the stored bundle roots, so they stay the same: only a
// comparison of the rows can tell.
#include "wrapped_expand_step.hpp"

namespace stella::conformance_fixtures {
namespace {

class DownLosesRowStep final : public WrappedExpandStep {
 public:
  void down(sdk::StepContext& ctx) override {
    WrappedExpandStep::down(ctx);
    ctx.database().execute(
        "DELETE FROM evidence.artifacts WHERE (bundle_id, path) = (SELECT bundle_id, path FROM "
        "evidence.artifacts ORDER BY bundle_id DESC, path DESC LIMIT 1)");
  }
};

sdk::Plugin* create() {
  return new DownLosesRowStep();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, "conformance-down-loses-row",
                                                "1.0.0", sdk::PluginKind::schema_step, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
