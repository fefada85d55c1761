// What a path that no importer recognizes looks like, for the refusal: "it is an empty file"
// tells an operator at once that a copy failed, where "not a source any importer recognizes"
// leaves them guessing.
#pragma once

#include <string>

namespace stella::host {

/// A few words on what `location` is: an empty directory, a directory and some of its entries, an
/// empty file, gzip data, or a file of N bytes and its first bytes; empty when it cannot be read.
std::string describe_unrecognized_source(const std::string& location);

}  // namespace stella::host
