// `stella evidence reconcile`, registered by the diagnostics registrar.
#pragma once

#include "stella/host/cli/command.hpp"

namespace stella::host {

void add_reconcile_command(CommandTable& table);

}  // namespace stella::host
