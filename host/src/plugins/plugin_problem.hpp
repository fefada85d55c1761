// Why a plugin cannot be used, split the way every message of the tool is: what is wrong (the
// file, what was found, what was expected) and what to do about it.
#pragma once

#include <string>

namespace stella::host {

struct PluginProblem {
  std::string reason;
  std::string remedy;
};

}  // namespace stella::host
