// Broken on purpose: the product's bundle-dir importer, handed a private copy of the source made
// by following every symbolic link and reading every entry as a file (hard links and FIFOs
// included) — the classic way an importer ends up reading /etc/passwd. Valid exports read as with
// the product.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#define STELLA_WRAPPED_IMPORTER_SOURCE "bundle_dir_importer.cpp"
#include "wrapped_product_importer.hpp"

namespace stella::conformance_fixtures {
namespace {

namespace fs = std::filesystem;
namespace sdk = stella::sdk;

/// Copies `from` into `to` the naive way: links followed, and whatever is not a directory read as
/// if it were a file (a FIFO included).
void copy_following_links(const fs::path& from, const fs::path& to) {
  fs::create_directories(to);
  for (const fs::directory_entry& entry : fs::directory_iterator(from)) {
    const fs::path target = to / entry.path().filename();
    if (entry.is_directory()) {  // follows a link to a directory
      copy_following_links(entry.path(), target);
      continue;
    }
    std::ifstream in(entry.path(), std::ios::binary);  // follows a link to a file
    std::ofstream out(target, std::ios::binary);
    out << in.rdbuf();
  }
}

class FollowsSymlinksImporter final
    : public WrappedProductImporter<stella_importer::BundleDirImporter> {
 public:
  void read(const std::string& location, const sdk::ImportLimits& limits, sdk::ImportSink& sink,
            sdk::HostContext& ctx) override {
    if (!fs::is_directory(location)) {
      product_.read(location, limits, sink, ctx);
      return;
    }
    std::string scratch = (fs::temp_directory_path() / "follows-symlinks-XXXXXX").string();
    if (::mkdtemp(scratch.data()) == nullptr) {
      throw sdk::Error(sdk::ErrorCode::internal, "mkdtemp failed");
    }
    struct Cleanup {
      fs::path path;
      ~Cleanup() {
        std::error_code ignored;
        fs::remove_all(path, ignored);
      }
    } cleanup{scratch};
    copy_following_links(location, fs::path(scratch) / "source");
    product_.read((fs::path(scratch) / "source").string(), limits, sink, ctx);
  }
};

sdk::Plugin* create() {
  return new FollowsSymlinksImporter();
}

const sdk::PluginDescriptor& describe() {
  static const sdk::PluginDescriptor descriptor{sdk::kAbiVersion, "conformance-follows-symlinks",
                                                "1.0.0", sdk::PluginKind::storage_importer,
                                                &create};
  return descriptor;
}

}  // namespace
}  // namespace stella::conformance_fixtures

STELLA_PLUGIN_EXPORT(stella::conformance_fixtures::describe)
