// Broken on purpose: plan() must only describe, but this one also renames every tenant. The host's
// dry run rolls its transaction back and so would hide it; `stella plugins test` must not.
#include "wrapped_expand_step.hpp"

namespace stella::conformance_fixtures {
namespace {

class PlanWritesStep final : public WrappedExpandStep {
 public:
  sdk::StepPlan plan(sdk::StepContext& ctx) override {
    ctx.database().execute(
        "UPDATE evidence.tenants SET display_name = display_name || ' (planned)'");
    return WrappedExpandStep::plan(ctx);
  }
};

sdk::Plugin* create() {
  return new PlanWritesStep();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, "conformance-plan-writes",
                                                "1.0.0", sdk::PluginKind::schema_step, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
