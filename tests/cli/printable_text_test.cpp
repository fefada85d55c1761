// How text from the store is shown on a terminal line (stella/sdk/printable_text.hpp): printable
// UTF-8 as it is, everything a terminal would act on as a visible escape, nothing ambiguous.
#define BOOST_TEST_MODULE cli_printable_text
#include <boost/test/unit_test.hpp>

#include "stella/sdk/printable_text.hpp"

using stella::sdk::printable_json;
using stella::sdk::printable_text;
using stella::sdk::unprintable_kind;

BOOST_AUTO_TEST_CASE(printable_utf8_is_shown_as_it_is) {
  BOOST_TEST(printable_text("") == "");
  BOOST_TEST(printable_text("sbom/cyclonedx.json") == "sbom/cyclonedx.json");
  BOOST_TEST(printable_text("r\u00e9sum\u00e9 \u2192 \u65e5\u672c \U0001F600") ==
             "r\u00e9sum\u00e9 \u2192 \u65e5\u672c \U0001F600");
  // Characters next to the ranges escaped stay themselves: U+00A0, U+2027, U+202F, U+2065, U+206A.
  BOOST_TEST(printable_text("\u00a0\u2027\u202f\u2065\u206a") == "\u00a0\u2027\u202f\u2065\u206a");
}

BOOST_AUTO_TEST_CASE(line_breaks_and_tabs_have_their_short_escapes) {
  BOOST_TEST(printable_text("x\n\nTenant acme: PASS") == "x\\n\\nTenant acme: PASS");
  BOOST_TEST(printable_text("a\r\nb\tc") == "a\\r\\nb\\tc");
}

BOOST_AUTO_TEST_CASE(other_c0_controls_and_del_are_hex_bytes) {
  BOOST_TEST(printable_text("\x1b[H\x1b[2J") == "\\x1b[H\\x1b[2J");
  BOOST_TEST(printable_text(std::string("a\0b", 3)) == "a\\x00b");
  BOOST_TEST(printable_text("\x07\x08\x0b\x0c\x1f\x7f") == "\\x07\\x08\\x0b\\x0c\\x1f\\x7f");
}

BOOST_AUTO_TEST_CASE(c1_controls_separators_and_bidi_controls_are_code_points) {
  BOOST_TEST(printable_text("a\u0085b") == "a\\u0085b");
  BOOST_TEST(printable_text("\u0080\u009b\u009f") == "\\u0080\\u009b\\u009f");
  BOOST_TEST(printable_text("a\u2028b\u2029c") == "a\\u2028b\\u2029c");
  BOOST_TEST(printable_text("\u202a\u202b\u202c\u202d\u202e") ==
             "\\u202a\\u202b\\u202c\\u202d\\u202e");
  BOOST_TEST(printable_text("\u2066\u2067\u2068\u2069") == "\\u2066\\u2067\\u2068\\u2069");
  BOOST_TEST(printable_text("\u200e\u200f\u061c") == "\\u200e\\u200f\\u061c");
  // "invoice_\u202Efdp.exe" would show as "invoice_exe.pdf".
  BOOST_TEST(printable_text("invoice_\u202efdp.exe") == "invoice_\\u202efdp.exe");
}

BOOST_AUTO_TEST_CASE(bytes_that_are_not_utf8_are_hex_bytes) {
  BOOST_TEST(printable_text("bob\xff") == "bob\\xff");
  // An overlong '/', a lone continuation byte, a surrogate, a cut sequence.
  BOOST_TEST(printable_text("a\xc0\xafz") == "a\\xc0\\xafz");
  BOOST_TEST(printable_text("\x80") == "\\x80");
  BOOST_TEST(printable_text("\xed\xa0\x80") == "\\xed\\xa0\\x80");
  BOOST_TEST(printable_text("\xe2\x82") == "\\xe2\\x82");
  // A C1 control's two bytes in UTF-8 are one character; the raw byte 0x85 alone is not UTF-8.
  BOOST_TEST(printable_text("\xc2\x85") == "\\u0085");
  BOOST_TEST(printable_text("\x85") == "\\x85");
}

BOOST_AUTO_TEST_CASE(a_backslash_is_doubled_so_that_no_escape_is_ambiguous) {
  BOOST_TEST(printable_text("a\\b") == "a\\\\b");
  // A path that holds the four characters \x1b reads differently from one that holds ESC.
  BOOST_TEST(printable_text("\\x1b") == "\\\\x1b");
  BOOST_TEST(printable_text("\x1b") == "\\x1b");
  BOOST_TEST(printable_text("\\n") != printable_text("\n"));
}

BOOST_AUTO_TEST_CASE(every_escaped_text_is_one_line_without_controls) {
  std::string every_byte;
  for (int byte = 0; byte < 256; ++byte) {
    every_byte += static_cast<char>(byte);
  }
  const std::string shown = printable_text(every_byte + "\u2028\u202e\u0085");
  for (const char c : shown) {
    const auto byte = static_cast<unsigned char>(c);
    BOOST_TEST((byte >= 0x20 && byte != 0x7f), "byte " << int(byte) << " in " << shown);
  }
}

BOOST_AUTO_TEST_CASE(json_keeps_its_escapes_and_gains_unicode_ones) {
  // As PostgreSQL renders jsonb: C0 controls already escaped, the rest raw.
  BOOST_TEST(printable_json(R"({"output": "/tmp/a\nb", "note": "c:\\d"})") ==
             R"({"output": "/tmp/a\nb", "note": "c:\\d"})");
  BOOST_TEST(printable_json("{\"who\": \"a\u2028b\u202ec\x7f\u0085\"}") ==
             R"({"who": "a\u2028b\u202ec\u007f\u0085"})");
  BOOST_TEST(printable_json("[\"\x1b\"]") == R"(["\u001b"])");
}

BOOST_AUTO_TEST_CASE(kinds_name_what_a_terminal_acts_on) {
  BOOST_TEST(unprintable_kind(U'a').has_value() == false);
  BOOST_TEST(unprintable_kind(U'\u00e9').has_value() == false);
  BOOST_TEST(*unprintable_kind(U'\n') == "control character");
  BOOST_TEST(*unprintable_kind(0x7f) == "control character");
  BOOST_TEST(*unprintable_kind(0x85) == "control character");
  BOOST_TEST(*unprintable_kind(0x2028) == "line separator");
  BOOST_TEST(*unprintable_kind(0x2029) == "paragraph separator");
  BOOST_TEST(*unprintable_kind(0x202e) == "bidirectional control");
  BOOST_TEST(*unprintable_kind(0x061c) == "bidirectional control");
}
