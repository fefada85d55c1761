// Text from a store, a source or a command line, shown on one line of a terminal. A stored path, a
// tenant name or a message quoting them can hold any character: a line break there forges a line
// of a report, an escape sequence clears the screen or recolours a verdict, a bidirectional control
// shows a name reversed. This writes each such character as a visible escape, so that what a
// person reads is exactly what was stored. Header-only; part of the SDK for importers, whose
// messages quote paths from untrusted sources, and used by the host's text outputs.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace stella::sdk {

/// What `code_point` is when a terminal would act on it instead of showing it, or nullopt when it
/// shows as itself: "control character" (C0 and C1 controls, DEL), "line separator" (U+2028),
/// "paragraph separator" (U+2029) or "bidirectional control" (U+061C, U+200E, U+200F,
/// U+202A to U+202E, U+2066 to U+2069).
inline std::optional<std::string_view> unprintable_kind(char32_t code_point) {
  if (code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f)) {
    return "control character";
  }
  if (code_point == 0x2028) {
    return "line separator";
  }
  if (code_point == 0x2029) {
    return "paragraph separator";
  }
  if (code_point == 0x061c || code_point == 0x200e || code_point == 0x200f ||
      (code_point >= 0x202a && code_point <= 0x202e) ||
      (code_point >= 0x2066 && code_point <= 0x2069)) {
    return "bidirectional control";
  }
  return std::nullopt;
}

/// The length of the UTF-8 sequence starting at byte `at` of `text`, or 0 when no valid one starts
/// there (overlong forms, surrogates, code points past U+10FFFF and cut sequences included, as
/// PostgreSQL refuses them too).
inline std::size_t utf8_sequence_length(std::string_view text, std::size_t at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  std::size_t length = 0;
  unsigned char min_second = 0x80;
  unsigned char max_second = 0xbf;
  if (lead < 0x80) {
    return 1;
  } else if (lead >= 0xc2 && lead <= 0xdf) {
    length = 2;
  } else if (lead >= 0xe0 && lead <= 0xef) {
    length = 3;
    min_second = lead == 0xe0 ? 0xa0 : 0x80;
    max_second = lead == 0xed ? 0x9f : 0xbf;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    length = 4;
    min_second = lead == 0xf0 ? 0x90 : 0x80;
    max_second = lead == 0xf4 ? 0x8f : 0xbf;
  } else {
    return 0;
  }
  if (at + length > text.size() || byte(at + 1) < min_second || byte(at + 1) > max_second) {
    return 0;
  }
  for (std::size_t i = at + 2; i < at + length; ++i) {
    if (byte(i) < 0x80 || byte(i) > 0xbf) {
      return 0;
    }
  }
  return length;
}

/// The code point of `sequence`, one whole valid UTF-8 sequence (utf8_sequence_length says so).
inline char32_t utf8_code_point(std::string_view sequence) {
  const auto lead = static_cast<unsigned char>(sequence.front());
  if (sequence.size() == 1) {
    return lead;
  }
  // The lead byte keeps 7 - length bits of the code point, each continuation byte 6.
  char32_t code_point = lead & (0x7fu >> sequence.size());
  for (std::size_t i = 1; i < sequence.size(); ++i) {
    code_point = (code_point << 6) | (static_cast<unsigned char>(sequence[i]) & 0x3fu);
  }
  return code_point;
}

namespace printable_text_detail {

/// How an escape is written: for plain text, or inside a JSON text that stays valid JSON.
enum class Escapes { text = 1, json = 2 };

inline void append_hex(std::string& out, std::string_view prefix, unsigned value, int digits) {
  constexpr std::string_view kHexDigits = "0123456789abcdef";
  out += prefix;
  for (int shift = 4 * (digits - 1); shift >= 0; shift -= 4) {
    out += kHexDigits[(value >> shift) & 0xfu];
  }
}

inline std::string escaped(std::string_view text, Escapes escapes) {
  std::string shown;
  shown.reserve(text.size());
  for (std::size_t at = 0; at < text.size();) {
    const std::size_t length = utf8_sequence_length(text, at);
    if (length == 0) {
      append_hex(shown, "\\x", static_cast<unsigned char>(text[at]), 2);
      ++at;
      continue;
    }
    const std::string_view sequence = text.substr(at, length);
    at += length;
    const char32_t code_point = utf8_code_point(sequence);
    if (code_point == '\\' && escapes == Escapes::text) {
      shown += "\\\\";
    } else if (!unprintable_kind(code_point)) {
      shown += sequence;
    } else if (code_point == '\n') {
      shown += "\\n";
    } else if (code_point == '\r') {
      shown += "\\r";
    } else if (code_point == '\t') {
      shown += "\\t";
    } else if (code_point < 0x80 && escapes == Escapes::text) {
      append_hex(shown, "\\x", code_point, 2);
    } else {
      append_hex(shown, "\\u", code_point, 4);
    }
  }
  return shown;
}

}  // namespace printable_text_detail

/// `text` as one terminal line that shows each of its bytes unambiguously: printable UTF-8 as it
/// is, a backslash as "\\", line feed, carriage return and tab as "\n", "\r" and "\t", other C0
/// controls, DEL and bytes that are not UTF-8 as "\xNN", and the other characters
/// unprintable_kind names (C1 controls, line and paragraph separators, bidirectional controls) as
/// "\uNNNN".
inline std::string printable_text(std::string_view text) {
  return printable_text_detail::escaped(text, printable_text_detail::Escapes::text);
}

/// `json`, a JSON text, as one terminal line that is still the same JSON: each character
/// unprintable_kind names as the JSON escape "\uNNNN" ("\n", "\r", "\t" for those three), the rest,
/// backslashes included, as it is. (PostgreSQL escapes C0 controls when it renders jsonb, and
/// leaves DEL, C1 controls, separators and bidirectional controls as they are.) A byte that is not
/// UTF-8, which JSON cannot escape, is shown as "\xNN"; a UTF-8 database never renders one.
inline std::string printable_json(std::string_view json) {
  return printable_text_detail::escaped(json, printable_text_detail::Escapes::json);
}

}  // namespace stella::sdk
