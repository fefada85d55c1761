// Everything a plugin author includes.
#pragma once

#include "stella/sdk/abi.hpp"
#include "stella/sdk/context.hpp"
#include "stella/sdk/database.hpp"
#include "stella/sdk/error.hpp"
#include "stella/sdk/plugin.hpp"
#include "stella/sdk/reindexer.hpp"
#include "stella/sdk/schema_step.hpp"
#include "stella/sdk/storage_importer.hpp"
