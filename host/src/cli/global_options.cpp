#include "stella/host/cli/global_options.hpp"

#include <pwd.h>
#include <unistd.h>

#include <cstdlib>

namespace stella::host {

std::string default_home_directory() {
  if (const char* env = std::getenv("STELLA_HOME"); env != nullptr && *env != '\0') {
    return env;
  }
  if (::geteuid() == 0) {
    return "/var/lib/stella";
  }
  if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg != nullptr && *xdg != '\0') {
    return std::string(xdg) + "/stella";
  }
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    return std::string(home) + "/.local/share/stella";
  }
  return "/tmp/stella-" + std::to_string(::geteuid());
}

std::string login_name() {
  if (const char* user = std::getenv("USER"); user != nullptr && *user != '\0') {
    return user;
  }
  if (const passwd* entry = ::getpwuid(::geteuid()); entry != nullptr) {
    return entry->pw_name;
  }
  return "uid-" + std::to_string(::geteuid());
}

}  // namespace stella::host
