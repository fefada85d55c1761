// Choosing which digest generation a reading verb reads: the active one by default, or an earlier
// one by number or by algorithm (roots-export --generation N / --algorithm ID, verify-all
// --generation N), so old proofs stay checkable after a reindex.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include <boost/program_options.hpp>

#include "stella/host/evidence/store_layout.hpp"
#include "stella/host/store/pg_connection.hpp"

namespace stella::host {

/// Adds --generation N (and, when `with_algorithm`, --algorithm ID) to a verb's options.
void add_generation_options(boost::program_options::options_description& options,
                            bool with_algorithm);

/// The layout the verb should read with: `layout` itself when neither option was given, else a
/// layout reading the generation named. --algorithm picks the newest sealed generation of that
/// algorithm (the newest of any state when none is sealed). Throws sdk::Error(invalid_input) when
/// both options are given, or when the store has no such generation (listing the ones it has).
std::unique_ptr<StoreLayout> layout_for_chosen_generation(
    PgConnection& connection, std::unique_ptr<StoreLayout> layout,
    const boost::program_options::variables_map& options);

}  // namespace stella::host
