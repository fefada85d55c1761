#include "stella/host/store/external_server.hpp"

#include <atomic>

namespace stella::host {
namespace {

/// Written once before any connection is opened, read by any thread that reports a failure.
std::atomic<bool> external_server{false};

}  // namespace

void note_external_server() {
  external_server = true;
}

bool uses_external_server() {
  return external_server;
}

std::string where_to_see_why_the_server_stopped() {
  return uses_external_server()
             ? "the server's log, or its administrator, says why the session ended"
             : "`stella db status` shows the embedded server; its log says why it stopped";
}

}  // namespace stella::host
