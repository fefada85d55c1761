// The product's expand step (schema 1.0 -> 1.1), wrapped so that a fixture can change one of its
// methods and keep the others exactly as the product has them.
#pragma once

#include "expand_step.hpp"
#include "stella/sdk/sdk.hpp"

namespace stella::conformance_fixtures {

namespace sdk = stella::sdk;

class WrappedExpandStep : public sdk::SchemaStep {
 public:
  std::string from_version() const override { return inner_.from_version(); }
  std::string to_version() const override { return inner_.to_version(); }
  sdk::StepPlan plan(sdk::StepContext& ctx) override { return inner_.plan(ctx); }
  void up(sdk::StepContext& ctx) override { inner_.up(ctx); }
  void down(sdk::StepContext& ctx) override { inner_.down(ctx); }
  sdk::VerifyOutcome verify(sdk::StepContext& ctx) override { return inner_.verify(ctx); }

 private:
  stella_schema_expand::ExpandStep inner_;
};

}  // namespace stella::conformance_fixtures
