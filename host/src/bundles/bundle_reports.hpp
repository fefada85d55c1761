// What export, import and verify-bundle print: text for people, JSON for scripts
// (schemas/export-summary.schema.json, import-summary.schema.json,
// verify-bundle-report.schema.json).
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "stella/host/bundles/bundle_export.hpp"
#include "stella/host/bundles/bundle_import.hpp"
#include "stella/host/bundles/source_verification.hpp"

namespace stella::host {

std::string export_summary_json(const ExportSummary& summary);
void write_export_summary_text(std::ostream& out, const ExportSummary& summary);

std::string import_summary_json(const ImportSummary& summary);
void write_import_summary_text(std::ostream& out, const ImportSummary& summary);

/// One report over every PATH verify-bundle was given.
std::string verify_bundle_report_json(const std::vector<VerifiedSource>& sources);
void write_verify_bundle_report_text(std::ostream& out, const std::vector<VerifiedSource>& sources);

}  // namespace stella::host
