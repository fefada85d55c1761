// A product importer's source compiled into a fixture, with the product's plugin entry silenced:
// the fixture's own entry is the library's only one, and everything but the fixture's one defect
// is the product's code. Define STELLA_WRAPPED_IMPORTER_SOURCE as the product source's file name
// ("portable_importer.cpp"; its folder is on the fixture's include path) before including this.
// No include guard: it is included once, by one fixture's source.
#ifndef STELLA_WRAPPED_IMPORTER_SOURCE
#error "define STELLA_WRAPPED_IMPORTER_SOURCE before including wrapped_product_importer.hpp"
#endif

#include "stella/sdk/sdk.hpp"

#undef STELLA_PLUGIN_EXPORT
#define STELLA_PLUGIN_EXPORT(function)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include STELLA_WRAPPED_IMPORTER_SOURCE
#pragma GCC diagnostic pop
#undef STELLA_PLUGIN_EXPORT
#define STELLA_PLUGIN_EXPORT(function) BOOST_DLL_ALIAS(function, stella_plugin_entry_v1)

namespace stella::conformance_fixtures {

/// A fixture importer in front of the product importer `Product`: the format and the recognition
/// are the product's; the fixture's read() adds its defect and calls the product's.
template <class Product>
class WrappedProductImporter : public stella::sdk::StorageImporter {
 public:
  std::string source_format() const override { return product_.source_format(); }
  bool recognizes(const std::string& location) const override {
    return product_.recognizes(location);
  }

 protected:
  Product product_;
};

}  // namespace stella::conformance_fixtures
