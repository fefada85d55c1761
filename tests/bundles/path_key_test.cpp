// The importers' path keys (plugins/importer-common/path_key.hpp): equal for one path, different
// for two, and repeated_keys names each key that occurs more than once, once.
#include <algorithm>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "path_key.hpp"

namespace stella_importer {

BOOST_AUTO_TEST_CASE(a_path_has_one_key_and_two_paths_two) {
  BOOST_CHECK(path_key("manifest.json") == path_key("manifest.json"));
  BOOST_CHECK(path_key("manifest.json") != path_key("manifest.json "));
  BOOST_CHECK(path_key("a/b") != path_key("a/c"));
}

BOOST_AUTO_TEST_CASE(repeated_keys_gives_each_repeated_key_once) {
  std::vector<PathKey> keys = {path_key("c"), path_key("a"), path_key("b"),
                               path_key("a"), path_key("c"), path_key("a")};
  std::vector<PathKey> expected = {path_key("a"), path_key("c")};
  std::sort(expected.begin(), expected.end());
  BOOST_CHECK(repeated_keys(keys) == expected);
  // The keys are left sorted, for the binary searches that follow.
  BOOST_CHECK(std::is_sorted(keys.begin(), keys.end()));
  BOOST_CHECK_EQUAL(keys.size(), 6u);
}

BOOST_AUTO_TEST_CASE(keys_without_repeats_give_none) {
  std::vector<PathKey> keys = {path_key("x"), path_key("y"), path_key("z")};
  BOOST_CHECK(repeated_keys(keys).empty());
  std::vector<PathKey> none;
  BOOST_CHECK(repeated_keys(none).empty());
}

BOOST_AUTO_TEST_CASE(repeated_path_names_gives_each_repeated_path_and_its_lines) {
  const std::string a(64, 'a');
  std::vector<PathKey> keys = {path_key("x.json"), path_key("y.json"), path_key("x.json")};
  const std::vector<PathKey> repeated = repeated_keys(keys);
  RepeatedPathNames names(repeated);
  names.line(a + "  x.json");
  names.line("not a checksum line");  // counted, skipped
  names.line(a + "  y.json");
  names.line(a + "  x.json");
  BOOST_REQUIRE_EQUAL(names.found().size(), 1u);
  const RepeatedPath& found = names.found().begin()->second;
  BOOST_CHECK_EQUAL(found.path, "x.json");
  BOOST_CHECK(found.lines == (std::vector<std::uint64_t>{1, 4}));
}

}  // namespace stella_importer
