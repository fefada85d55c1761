// Broken on purpose: plan() never returns, as a step waiting on a lock it will never get would.
// Nothing can interrupt it from outside; `stella plugins test` must still end, say so, and leave no
// cluster running.
#include <chrono>
#include <thread>

#include "wrapped_expand_step.hpp"

namespace stella::conformance_fixtures {
namespace {

class HangsInPlanStep final : public WrappedExpandStep {
 public:
  sdk::StepPlan plan(sdk::StepContext&) override {
    while (true) {
      std::this_thread::sleep_for(std::chrono::seconds(1));
    }
  }
};

sdk::Plugin* create() {
  return new HangsInPlanStep();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, "conformance-hangs-in-plan",
                                                "1.0.0", sdk::PluginKind::schema_step, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
