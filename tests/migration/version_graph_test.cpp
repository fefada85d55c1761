// The planner's graph search: shortest path, deterministic choice, and the refusal that lists the
// installed edges.
#include <boost/test/unit_test.hpp>

#include "stella/host/migration/version_graph.hpp"
#include "stella/sdk/error.hpp"

namespace host = stella::host;
namespace sdk = stella::sdk;

namespace {

std::vector<host::VersionEdge> product_edges() {
  return {{"schema-1.0-to-1.1", "1.0", "1.1"}, {"schema-1.1-to-2.0", "1.1", "2.0"}};
}

std::string path_text(const std::vector<host::VersionEdge>& path) {
  std::string text;
  for (const auto& edge : path) {
    text += (text.empty() ? "" : " ") + edge.plugin_id;
  }
  return text;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(version_graph)

BOOST_AUTO_TEST_CASE(chains_the_two_product_steps) {
  const auto path = host::shortest_version_path(product_edges(), "1.0", "2.0");
  BOOST_TEST(path_text(path) == "schema-1.0-to-1.1 schema-1.1-to-2.0");
}

BOOST_AUTO_TEST_CASE(prefers_the_shortest_path) {
  auto edges = product_edges();
  edges.push_back({"direct-1.0-to-2.0", "1.0", "2.0"});
  edges.push_back({"schema-2.0-to-2.1", "2.0", "2.1"});
  BOOST_TEST(path_text(host::shortest_version_path(edges, "1.0", "2.0")) == "direct-1.0-to-2.0");
  BOOST_TEST(path_text(host::shortest_version_path(edges, "1.0", "2.1")) ==
             "direct-1.0-to-2.0 schema-2.0-to-2.1");
  BOOST_TEST(path_text(host::shortest_version_path(edges, "1.1", "2.1")) ==
             "schema-1.1-to-2.0 schema-2.0-to-2.1");
}

BOOST_AUTO_TEST_CASE(equal_length_paths_resolve_the_same_way_every_time) {
  std::vector<host::VersionEdge> edges = {{"b-1.0-to-1.5", "1.0", "1.5"},
                                          {"a-1.0-to-1.2", "1.0", "1.2"},
                                          {"c-1.5-to-2.0", "1.5", "2.0"},
                                          {"d-1.2-to-2.0", "1.2", "2.0"}};
  std::sort(edges.begin(), edges.end(), [](const auto& a, const auto& b) {
    return std::tie(a.from, a.to, a.plugin_id) < std::tie(b.from, b.to, b.plugin_id);
  });
  BOOST_TEST(path_text(host::shortest_version_path(edges, "1.0", "2.0")) ==
             "a-1.0-to-1.2 d-1.2-to-2.0");
}

BOOST_AUTO_TEST_CASE(no_path_is_refused_listing_the_installed_edges) {
  try {
    host::shortest_version_path(product_edges(), "1.0", "3.0");
    BOOST_FAIL("a path to 3.0 was found where none exists");
  } catch (const sdk::Error& e) {
    BOOST_TEST(static_cast<int>(e.code()) == static_cast<int>(sdk::ErrorCode::refused));
    BOOST_TEST(std::string(e.what()) ==
               "no plugin provides a path 1.0 \u2192 3.0; installed edges: 1.0\u21921.1 "
               "(schema-1.0-to-1.1), 1.1\u21922.0 (schema-1.1-to-2.0)");
    BOOST_TEST(!e.hint().empty());
  }
}

BOOST_AUTO_TEST_CASE(no_edges_at_all_says_none) {
  BOOST_CHECK_EXCEPTION(
      host::shortest_version_path({}, "1.0", "2.0"), sdk::Error, [](const sdk::Error& e) {
        return std::string(e.what()).find("installed edges: none") != std::string::npos;
      });
}

BOOST_AUTO_TEST_CASE(going_nowhere_is_bad_input) {
  BOOST_CHECK_EXCEPTION(
      host::shortest_version_path(product_edges(), "2.0", "2.0"), sdk::Error,
      [](const sdk::Error& e) { return e.code() == sdk::ErrorCode::invalid_input; });
}

BOOST_AUTO_TEST_CASE(edges_go_one_way) {
  // Down steps exist (every step is reversible), but the planner plans forward edges only:
  // going back is `migrate --rollback`, which undoes a recorded migration.
  BOOST_CHECK_THROW(host::shortest_version_path(product_edges(), "2.0", "1.0"), sdk::Error);
}

BOOST_AUTO_TEST_SUITE_END()
