// Options every verb accepts, resolved from flags, then environment, then defaults.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace stella::host {

/// The output format the operator asked for with --format. Commands decide which they support.
struct GlobalOptions {
  /// libpq connection string or URI (--database / STELLA_DATABASE); nullopt means the embedded
  /// cluster under `home`.
  std::optional<std::string> database;
  /// The tool's state directory (--home / STELLA_HOME).
  std::string home;
  /// --plugin-dir, in the order given; searched before STELLA_PLUGIN_PATH and the install dir.
  std::vector<std::string> plugin_dirs;
  /// Directories from STELLA_PLUGIN_PATH (colon-separated).
  std::vector<std::string> plugin_path_env;
  /// Who runs this, for the audit trail (--operator, default the login name).
  std::string operator_name;
  /// --format as given; empty when not given (each verb has its own default).
  std::string format;
  /// --quiet: no progress, no informational lines on stderr.
  bool quiet = false;
  /// --progress-format: "auto" (bar on a terminal, lines otherwise), "plain" or "json".
  std::string progress_format = "auto";
  /// --trusted-keys / STELLA_TRUSTED_KEYS: directory of public keys trusted for plugin packs.
  std::optional<std::string> trusted_keys;
  /// --allow-unsigned: load plugins that come from no signed pack (plugin development).
  bool allow_unsigned = false;
};

/// The default state directory: $STELLA_HOME when set; for root /var/lib/stella (the embedded
/// cluster runs as an unprivileged user who must be able to reach it); otherwise
/// $XDG_DATA_HOME/stella or ~/.local/share/stella.
std::string default_home_directory();

/// The login name of the calling user, for the audit trail.
std::string login_name();

}  // namespace stella::host
