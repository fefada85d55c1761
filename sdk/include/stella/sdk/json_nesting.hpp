// Untrusted JSON and the stack: RapidJSON parses, validates and writes a document recursively, one
// stack frame per level, so a few hundred kilobytes of "[[[[…" crash a reader with SIGSEGV. This
// finds a text's deepest nesting without recursion, so that a reader refuses such a document
// before parsing it. Header-only; part of the SDK for importers, which read untrusted JSON too.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "stella/sdk/error.hpp"

namespace stella::sdk {

/// Deeper than any document of the bundle, plan, manifest or attestation formats needs, shallow
/// enough for RapidJSON's recursion on a default thread stack.
inline constexpr std::size_t kMaxJsonNesting = 256;

/// The deepest nesting of arrays and objects in `text`, counting brackets outside strings.
/// Malformed text gives a number too; the parser then says what is wrong with it.
inline std::size_t json_nesting_depth(std::string_view text) {
  std::size_t depth = 0;
  std::size_t deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (const char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest) {
        deepest = depth;
      }
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return deepest;
}

/// Throws Error(invalid_input) naming `origin` when `text` nests deeper than kMaxJsonNesting.
inline void require_json_nesting_within_limit(std::string_view text, std::string_view origin) {
  const std::size_t depth = json_nesting_depth(text);
  if (depth > kMaxJsonNesting) {
    throw Error(ErrorCode::invalid_input,
                std::string(origin) + ": JSON nested " + std::to_string(depth) +
                    " levels deep; at most " + std::to_string(kMaxJsonNesting) +
                    " are read (a document this deep is malformed or hostile)",
                "check where the file came from; a document of this format nests a few levels");
  }
}

}  // namespace stella::sdk
