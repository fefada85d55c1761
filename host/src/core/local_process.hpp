// Facts about this machine's processes that records in the store point at: the host name written
// beside a pid, and whether a pid recorded here still runs.
#pragma once

#include <string>

namespace stella::host {

/// This machine's host name, as recorded beside the pid of a run or a worker ("unknown-host" when
/// the kernel does not say).
std::string local_host_name();

/// Whether process `pid` on this machine still runs. A process that died but is not yet reaped (a
/// zombie: killed, its parent not yet told) does not run, although kill(pid, 0) succeeds on it.
/// A process of another user counts as running.
bool process_is_running(int pid);

/// Whether process `pid` on this machine has died and waits for its parent to reap it.
bool process_is_zombie(int pid);

}  // namespace stella::host
