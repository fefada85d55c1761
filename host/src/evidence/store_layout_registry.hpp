// The layouts this build knows, one factory per schema version (each in its own file).
#pragma once

#include <memory>

#include "stella/host/evidence/store_layout.hpp"

namespace stella::host {

/// Schema 1.0, the legacy layout (store_layout_1_0.cpp).
std::unique_ptr<StoreLayout> make_store_layout_1_0();

/// Schema 2.0, digests and roots per generation (store_layout_2_0.cpp).
std::unique_ptr<StoreLayout> make_store_layout_2_0();

}  // namespace stella::host
