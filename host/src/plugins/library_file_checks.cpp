#include "plugins/library_file_checks.hpp"

#include <array>
#include <cstdio>
#include <fstream>
#include <string>
#include <system_error>

namespace stella::host {
namespace {

/// The first four bytes of every ELF object (System V ABI, "e_ident").
constexpr std::array<unsigned char, 4> kElfMagic = {0x7f, 'E', 'L', 'F'};

std::string hex_bytes(const unsigned char* bytes, std::size_t count) {
  std::string text;
  for (std::size_t i = 0; i < count; ++i) {
    constexpr std::size_t kHexByteText = 4;  // two digits, a space, the terminator
    char byte[kHexByteText];
    std::snprintf(byte, sizeof byte, "%02x", bytes[i]);
    text += (i == 0 ? "" : " ") + std::string(byte);
  }
  return text;
}

}  // namespace

std::optional<PluginProblem> library_file_problem(const std::filesystem::path& library_path,
                                                  const std::filesystem::path& manifest_path) {
  const std::string rebuild = "rebuild the plugin with stella_add_plugin so that " +
                              library_path.filename().string() + " is built beside " +
                              manifest_path.filename().string() + ", or remove " +
                              library_path.parent_path().string();
  std::error_code error;
  const auto status = std::filesystem::status(library_path, error);
  if (!std::filesystem::exists(status)) {
    return PluginProblem{library_path.string() + ": no such file; expected the library named by " +
                             manifest_path.string() + " (\"library\")",
                         rebuild};
  }
  if (!std::filesystem::is_regular_file(status)) {
    return PluginProblem{
        library_path.string() + ": not a regular file; expected a shared library file", rebuild};
  }
  std::ifstream in(library_path, std::ios::binary);
  std::array<unsigned char, kElfMagic.size()> head{};
  in.read(reinterpret_cast<char*>(head.data()), head.size());
  const auto got = static_cast<std::size_t>(in.gcount());
  if (got < head.size() || head != kElfMagic) {
    return PluginProblem{library_path.string() +
                             ": not a shared library; found a file starting with bytes [" +
                             hex_bytes(head.data(), got) +
                             "], expected an ELF shared object starting with [7f 45 4c 46]",
                         rebuild};
  }
  return std::nullopt;
}

}  // namespace stella::host
