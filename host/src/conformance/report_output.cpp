#include "conformance/report_output.hpp"

#include <algorithm>
#include <ostream>

namespace stella::host {
namespace {

/// Details listed under a failed check in text output (JSON has all of them).
constexpr std::size_t kListedDetails = 20;

const char* json_status(CheckStatus status) {
  switch (status) {
    case CheckStatus::pass:
      return "pass";
    case CheckStatus::fail:
      return "fail";
    case CheckStatus::skip:
      return "skip";
  }
  return "skip";
}

rapidjson::Value text_value(const std::string& text, rapidjson::Document::AllocatorType& a) {
  return rapidjson::Value(text.c_str(), static_cast<rapidjson::SizeType>(text.size()), a);
}

}  // namespace

void print_conformance_report(const ConformanceReport& report, std::ostream& out) {
  out << "plugin " << (report.plugin_id.empty() ? "(unreadable manifest)" : report.plugin_id);
  if (!report.plugin_version.empty()) {
    out << ' ' << report.plugin_version;
  }
  // A manifest that broke its schema leaves kind and provides unknown: nothing to show then.
  if (!report.kind.empty() || !report.provides.empty()) {
    out << " (" << report.kind << (report.kind.empty() || report.provides.empty() ? "" : ", ")
        << report.provides << ")";
  }
  out << "\n  manifest " << report.manifest_path << '\n';
  std::size_t width = 0;
  for (const ConformanceCheck& check : report.checks) {
    width = std::max(width, check.name.size());
  }
  for (const ConformanceCheck& check : report.checks) {
    out << check_status_name(check.status) << "  " << check.name
        << std::string(width - check.name.size() + 2, ' ') << check.summary << '\n';
    if (check.status != CheckStatus::fail) {
      continue;
    }
    out << "      expected: " << check.expected << "\n      found:    " << check.found << '\n';
    const std::size_t shown = std::min(check.details.size(), kListedDetails);
    for (std::size_t i = 0; i < shown; ++i) {
      out << "      - " << check.details[i] << '\n';
    }
    if (check.details.size() > shown) {
      out << "      ... and " << check.details.size() - shown
          << " more (--format json lists every one)\n";
    }
  }
  if (!report.kept_home.empty()) {
    out << "throwaway store kept in " << report.kept_home << " (stella db start --home "
        << report.kept_home << ")\n";
  }
  out << report.count(CheckStatus::pass) << " passed, " << report.count(CheckStatus::fail)
      << " failed, " << report.count(CheckStatus::skip)
      << " skipped: " << (report.passed() ? "the plugin conforms" : "the plugin does NOT conform")
      << '\n';
}

rapidjson::Document conformance_report_json(const ConformanceReport& report) {
  rapidjson::Document document(rapidjson::kObjectType);
  auto& a = document.GetAllocator();
  rapidjson::Value plugin(rapidjson::kObjectType);
  plugin.AddMember("id", text_value(report.plugin_id, a), a);
  plugin.AddMember("version", text_value(report.plugin_version, a), a);
  plugin.AddMember("kind", text_value(report.kind, a), a);
  plugin.AddMember("provides", text_value(report.provides, a), a);
  plugin.AddMember("manifest", text_value(report.manifest_path, a), a);
  plugin.AddMember("library", text_value(report.library_path, a), a);
  document.AddMember("plugin", plugin, a);
  document.AddMember("passed", report.passed(), a);
  rapidjson::Value summary(rapidjson::kObjectType);
  summary.AddMember("passed", report.count(CheckStatus::pass), a);
  summary.AddMember("failed", report.count(CheckStatus::fail), a);
  summary.AddMember("skipped", report.count(CheckStatus::skip), a);
  document.AddMember("summary", summary, a);
  rapidjson::Value checks(rapidjson::kArrayType);
  for (const ConformanceCheck& check : report.checks) {
    rapidjson::Value item(rapidjson::kObjectType);
    item.AddMember("name", text_value(check.name, a), a);
    item.AddMember("status", rapidjson::StringRef(json_status(check.status)), a);
    item.AddMember("summary", text_value(check.summary, a), a);
    item.AddMember("expected", text_value(check.expected, a), a);
    item.AddMember("found", text_value(check.found, a), a);
    rapidjson::Value details(rapidjson::kArrayType);
    for (const std::string& detail : check.details) {
      details.PushBack(text_value(detail, a), a);
    }
    item.AddMember("details", details, a);
    checks.PushBack(item, a);
  }
  document.AddMember("checks", checks, a);
  if (report.kept_home.empty()) {
    document.AddMember("keptHome", rapidjson::Value(rapidjson::kNullType), a);
  } else {
    document.AddMember("keptHome", text_value(report.kept_home, a), a);
  }
  return document;
}

}  // namespace stella::host
