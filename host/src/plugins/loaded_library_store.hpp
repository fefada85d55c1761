// Keeps every plugin library the process opened loaded until the process ends.
#pragma once

#include <boost/dll/shared_library.hpp>

namespace stella::host {

/// Takes ownership of `library` for the rest of the process: it is never unloaded, so objects,
/// exceptions, vtables and deleters made by its code stay valid wherever the host keeps them
/// (Boost.DLL's "missuses" list is about exactly those crashes). Thread-safe.
void keep_loaded_for_process_lifetime(boost::dll::shared_library library);

}  // namespace stella::host
