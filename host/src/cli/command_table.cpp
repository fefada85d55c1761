#include <algorithm>

#include "stella/host/cli/command.hpp"

namespace stella::host {

void CommandTable::add(Command command) { commands_.push_back(std::move(command)); }

const Command* CommandTable::find(const std::string& group, const std::string& verb) const {
  for (const auto& command : commands_) {
    if (command.group == group && command.verb == verb) {
      return &command;
    }
  }
  return nullptr;
}

std::vector<std::string> CommandTable::groups() const {
  std::vector<std::string> result;
  for (const auto& command : commands_) {
    if (std::find(result.begin(), result.end(), command.group) == result.end()) {
      result.push_back(command.group);
    }
  }
  return result;
}

std::vector<const Command*> CommandTable::verbs_of(const std::string& group) const {
  std::vector<const Command*> result;
  for (const auto& command : commands_) {
    if (command.group == group) {
      result.push_back(&command);
    }
  }
  return result;
}

}  // namespace stella::host
