// Broken on purpose: the product's portable importer, after a first pass over the archive that
// makes room for each entry's data by the size its tar header declares, then reads into it — the
// natural way to read an entry, and the way a few hundred bytes of archive whose header declares a
// gigabyte cost a gigabyte of memory. It still refuses every bad source (the cut-short one as
// truncated, like the product); only the memory it takes on the way gives it away. Valid exports
// read as with the product.
#include <archive.h>
#include <archive_entry.h>

#include <memory>
#include <string>

#define STELLA_WRAPPED_IMPORTER_SOURCE "portable_importer.cpp"
#include "wrapped_product_importer.hpp"

namespace stella::conformance_fixtures {
namespace {

namespace sdk = stella::sdk;

/// Reads every entry of the tar.gz at `location` into a buffer of its declared size. Stops quietly
/// where the archive cannot be read: the product importer names the problem afterwards.
void read_by_declared_sizes(const std::string& location) {
  const std::unique_ptr<archive, int (*)(archive*)> a(archive_read_new(), archive_read_free);
  archive_read_support_filter_gzip(a.get());
  archive_read_support_format_tar(a.get());
  if (archive_read_open_filename(a.get(), location.c_str(), 1 << 16) != ARCHIVE_OK) {
    return;
  }
  archive_entry* entry = nullptr;
  while (archive_read_next_header(a.get(), &entry) == ARCHIVE_OK) {
    if (archive_entry_size(entry) <= 0) {
      continue;
    }
    std::string data(static_cast<std::size_t>(archive_entry_size(entry)), '\0');
    if (archive_read_data(a.get(), data.data(), data.size()) < 0) {
      return;
    }
  }
}

class TrustsDeclaredSizesImporter final
    : public WrappedProductImporter<stella_importer::PortableImporter> {
 public:
  void read(const std::string& location, const sdk::ImportLimits& limits, sdk::ImportSink& sink,
            sdk::HostContext& ctx) override {
    if (product_.recognizes(location)) {
      read_by_declared_sizes(location);
    }
    product_.read(location, limits, sink, ctx);
  }
};

sdk::Plugin* create() {
  return new TrustsDeclaredSizesImporter();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion,
                                                "conformance-trusts-declared-sizes", "1.0.0",
                                                sdk::PluginKind::storage_importer, &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
