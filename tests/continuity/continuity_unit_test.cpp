// Text put into the HTML report: escaped, and never spelling the verdict word from data.
#include <boost/test/unit_test.hpp>

#include "continuity/html_text.hpp"
#include "stella/host/continuity/continuity_report.hpp"

namespace host = stella::host;

BOOST_AUTO_TEST_CASE(html_text_escapes_markup) {
  BOOST_TEST(host::html_text("<a href=\"x\">&'</a>") ==
             "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
  BOOST_TEST(host::html_text("plain text") == "plain text");
}

BOOST_AUTO_TEST_CASE(data_spelling_the_verdict_never_puts_it_into_the_file) {
  const std::string escaped = host::html_text("bundle FAILSAFE-01 of tenant FAIL and FAI/L");
  BOOST_TEST(escaped.find("FAIL") == std::string::npos);
  BOOST_TEST(escaped == "bundle &#70;AILSAFE-01 of tenant &#70;AIL and FAI/L");
  BOOST_TEST(host::html_text("Fine FAI") == "Fine FAI");
}

BOOST_AUTO_TEST_CASE(findings_spool_reads_back_ranges_in_order_and_again) {
  host::FindingSpool spool;
  for (int i = 0; i < 5; ++i) {
    host::ContinuityFinding finding;
    finding.check = host::ContinuityCheck::new_digests;
    finding.bundle = "b-" + std::to_string(i);
    finding.message = std::string(1000, 'x');
    spool.append(finding);
  }
  std::vector<std::string> read;
  const auto collect = [&](const host::ContinuityFinding& finding) {
    read.push_back(finding.bundle);
  };
  spool.read(1, 2, collect);
  spool.read(3, 2, collect);
  spool.read(0, 1, collect);
  BOOST_TEST((read == std::vector<std::string>{"b-1", "b-2", "b-3", "b-4", "b-0"}));
  BOOST_TEST(spool.size() == 5);
}
