#include "plugins/plugin_listing_text.hpp"

#include <algorithm>
#include <array>
#include <ostream>
#include <string>

#include "stella/host/plugins/plugin_names.hpp"

namespace stella::host {
namespace {

constexpr const char* kMissing = "-";
constexpr std::size_t kColumnGap = 2;

std::string or_missing(const std::string& value) {
  return value.empty() ? kMissing : value;
}

/// Display width of UTF-8 text: counts code points, not bytes ("→" is one column).
std::size_t display_width(const std::string& text) {
  constexpr unsigned char kContinuationMask = 0xc0;
  constexpr unsigned char kContinuationBits = 0x80;
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & kContinuationMask) != kContinuationBits;
  }));
}

constexpr std::size_t kColumns = 7;
using Row = std::array<std::string, kColumns>;

Row row_of(const PluginRecord& record) {
  const PluginManifest& manifest = record.manifest;
  return {or_missing(manifest.id),
          or_missing(manifest.version),
          record.manifest_valid ? std::string(plugin_kind_name(manifest.kind)) : kMissing,
          record.manifest_valid ? std::to_string(manifest.abi) : kMissing,
          or_missing(describe_provides(manifest)),
          std::string(plugin_status_name(record.status)) +
              (record.origin == PluginOrigin::unsigned_plugin ? " (unsigned)" : ""),
          or_missing(record.library_path.empty() ? record.manifest_path.string()
                                                 : record.library_path.string())};
}

void print_field(std::ostream& out, const char* name, const std::string& value) {
  constexpr std::size_t kNameWidth = 18;
  const std::string label = std::string(name) + ":";
  out << label << std::string(kNameWidth > label.size() ? kNameWidth - label.size() : 1, ' ')
      << value << '\n';
}

std::string join(const std::vector<std::string>& items) {
  std::string text;
  for (const auto& item : items) {
    text += (text.empty() ? "" : ", ") + item;
  }
  return text;
}

}  // namespace

void print_plugin_table(const PluginRegistry& registry, std::ostream& out) {
  std::vector<Row> rows{{"ID", "VERSION", "KIND", "ABI", "PROVIDES", "STATUS", "FILE"}};
  for (const auto& record : registry.plugins()) {
    rows.push_back(row_of(record));
  }
  std::array<std::size_t, kColumns> widths{};
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < kColumns; ++c) {
      widths[c] = std::max(widths[c], display_width(row[c]));
    }
  }
  for (const auto& row : rows) {
    for (std::size_t c = 0; c < kColumns; ++c) {
      out << row[c];
      if (c + 1 < kColumns) {
        out << std::string(widths[c] - display_width(row[c]) + kColumnGap, ' ');
      }
    }
    out << '\n';
  }
  if (registry.plugins().empty()) {
    out << "(no plugins found)\n";
  }
  for (const auto& record : registry.plugins()) {
    if (!record.reason.empty()) {
      out << '\n'
          << or_missing(record.manifest.id) << " is " << plugin_status_name(record.status) << ": "
          << record.reason << "\n  what to do: " << record.remedy << '\n';
    }
  }
  out << "\nsearch path (first wins):\n";
  for (const auto& directory : registry.search_path().directories) {
    out << "  " << directory.string() << '\n';
  }
}

void print_plugin_details(const PluginRecord& record,
                          const std::vector<const PluginRecord*>& same_id, std::ostream& out) {
  const PluginManifest& manifest = record.manifest;
  print_field(out, "id", or_missing(manifest.id));
  print_field(out, "version", or_missing(manifest.version));
  print_field(out, "kind",
              record.manifest_valid ? std::string(plugin_kind_name(manifest.kind)) : kMissing);
  print_field(out, "abi",
              (record.manifest_valid ? std::to_string(manifest.abi) : std::string(kMissing)) +
                  " (this host: " + std::to_string(sdk::kAbiVersion) + ")");
  print_field(out, "description", or_missing(manifest.description));
  print_field(out, "provides", or_missing(describe_provides(manifest)));
  print_field(out, "capabilities", or_missing(join(manifest.capabilities)));
  print_field(out, "status", std::string(plugin_status_name(record.status)));
  if (!record.reason.empty()) {
    print_field(out, "reason", record.reason);
    print_field(out, "what to do", record.remedy);
  }
  print_field(out, "factory checked", record.factory_checked ? "yes" : "no");
  if (record.origin) {
    print_field(out, "trust",
                std::string(plugin_origin_name(*record.origin)) +
                    (record.pack_id.empty() ? "" : " (pack " + record.pack_id + ")") +
                    (record.signer_key_id.empty() ? "" : ", signer " + record.signer_key_id));
  }
  if (record.descriptor != nullptr) {
    print_field(out, "descriptor",
                "abi " + std::to_string(record.descriptor->abi_version) + ", id " +
                    record.descriptor->id + ", version " + record.descriptor->version + ", kind " +
                    std::string(plugin_kind_name(record.descriptor->kind)));
  }
  print_field(out, "manifest", record.manifest_path.string());
  print_field(out, "file", or_missing(record.library_path.string()));
  print_field(out, "digest", or_missing(record.library_digest));
  print_field(out, "search directory", record.search_directory.string());
  for (const PluginRecord* other : same_id) {
    print_field(out, "also found",
                other->manifest_path.string() + " (" +
                    std::string(plugin_status_name(other->status)) + ")");
  }
}

}  // namespace stella::host
