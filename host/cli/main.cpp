// The `stella` executable: a thin shell over the host library's CLI.
#include <iostream>
#include <string>
#include <vector>

#include "stella/host/cli/command.hpp"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return stella::host::run_cli(args, std::cout, std::cerr);
}
