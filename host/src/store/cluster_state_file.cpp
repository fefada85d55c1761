#include "store/cluster_state_file.hpp"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/prettywriter.h>
#include <rapidjson/stringbuffer.h>

#include <fstream>
#include <sstream>

#include "stella/sdk/error.hpp"

namespace stella::host {
namespace {

constexpr int kStateFormatVersion = 1;
constexpr const char* kFormatVersionKey = "formatVersion";
constexpr const char* kSocketDirectoryKey = "socketDirectory";
constexpr const char* kPortKey = "port";
constexpr const char* kServerUserKey = "serverUser";

[[noreturn]] void malformed(const std::filesystem::path& file, const std::string& problem) {
  throw sdk::Error(sdk::ErrorCode::invalid_input,
                   "the embedded cluster's state file " + file.string() + " " + problem,
                   "it is written by `stella db start`; if it was edited, restore it (keys " +
                       std::string(kFormatVersionKey) + " = " +
                       std::to_string(kStateFormatVersion) + ", " + kSocketDirectoryKey + ", " +
                       kPortKey + ", " + kServerUserKey + ") or remove the cluster with " +
                       "`stella db stop` and delete the directory " + file.parent_path().string());
}

}  // namespace

std::optional<ClusterState> read_cluster_state(const std::filesystem::path& file) {
  std::error_code error;
  const bool present = std::filesystem::exists(file, error);
  if (error) {
    // Typically the cluster's directory (mode 0700) belongs to another user.
    throw sdk::Error(sdk::ErrorCode::refused,
                     "cannot look at the embedded cluster's state file " + file.string() + ": " +
                         error.message(),
                     "the cluster under " + file.parent_path().parent_path().string() +
                         " belongs to another user: run stella as that user or as root, or use "
                         "another --home");
  }
  if (!present) {
    return std::nullopt;
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    malformed(file, "cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  rapidjson::Document document;
  document.Parse(text.str().c_str());
  if (document.HasParseError()) {
    malformed(file, std::string("is not valid JSON: ") +
                        rapidjson::GetParseError_En(document.GetParseError()) + " at offset " +
                        std::to_string(document.GetErrorOffset()));
  }
  if (!document.IsObject()) {
    malformed(file, "is not a JSON object");
  }
  const auto version = document.FindMember(kFormatVersionKey);
  if (version == document.MemberEnd() || !version->value.IsInt() ||
      version->value.GetInt() != kStateFormatVersion) {
    malformed(file, std::string("has no ") + kFormatVersionKey + " " +
                        std::to_string(kStateFormatVersion));
  }
  const auto socket = document.FindMember(kSocketDirectoryKey);
  const auto port = document.FindMember(kPortKey);
  const auto user = document.FindMember(kServerUserKey);
  if (socket == document.MemberEnd() || !socket->value.IsString() || port == document.MemberEnd() ||
      !port->value.IsInt() || user == document.MemberEnd() || !user->value.IsString()) {
    malformed(file, std::string("lacks ") + kSocketDirectoryKey + " (string), " + kPortKey +
                        " (integer) or " + kServerUserKey + " (string)");
  }
  ClusterState state;
  state.socket_directory = socket->value.GetString();
  state.port = port->value.GetInt();
  state.server_user = user->value.GetString();
  return state;
}

void write_cluster_state(const std::filesystem::path& file, const ClusterState& state) {
  rapidjson::StringBuffer buffer;
  rapidjson::PrettyWriter<rapidjson::StringBuffer> writer(buffer);
  writer.StartObject();
  writer.Key(kFormatVersionKey);
  writer.Int(kStateFormatVersion);
  writer.Key(kSocketDirectoryKey);
  writer.String(state.socket_directory.string());
  writer.Key(kPortKey);
  writer.Int(state.port);
  writer.Key(kServerUserKey);
  writer.String(state.server_user);
  writer.EndObject();
  const std::filesystem::path temporary = file.string() + ".tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << buffer.GetString() << '\n';
    if (!out.flush()) {
      throw sdk::Error(sdk::ErrorCode::refused, "cannot write " + temporary.string(),
                       "check free space and permissions of " + file.parent_path().string());
    }
  }
  std::filesystem::rename(temporary, file);
}

}  // namespace stella::host
