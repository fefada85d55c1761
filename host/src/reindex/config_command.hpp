// `stella evidence config get|set`, registered with the reindex verbs (its one setting today is
// reindex's target algorithm).
#pragma once

#include "stella/host/cli/command.hpp"

namespace stella::host {

void register_config_command(CommandTable& table);

}  // namespace stella::host
