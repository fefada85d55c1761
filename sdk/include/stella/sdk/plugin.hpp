// The plugin descriptor and the one exported entry every plugin library provides.
#pragma once

#include <cstdint>

#include <boost/dll/alias.hpp>

#include "stella/sdk/abi.hpp"

STELLA_SDK_NAMESPACE_BEGIN

/// The three plugin kinds. Zero is deliberately not a valid value.
enum class PluginKind : std::uint32_t {
  schema_step = 1,
  reindexer = 2,
  storage_importer = 3,
};

/// Base of every plugin object. The host downcasts to the interface named by the descriptor's kind
/// (SchemaStep, Reindexer or StorageImporter) and to nothing else.
///
/// Ownership: created by PluginDescriptor::create, owned and destroyed by the host.
class Plugin {
 public:
  virtual ~Plugin() = default;
};

/// What a plugin library says about itself. Returned by the entry function; lives in the plugin's
/// static storage for as long as the library is loaded (the host never unloads it).
///
/// Layout rule: abi_version is and stays the first member, so that a host of any ABI can read it
/// before trusting anything else in the struct.
struct PluginDescriptor {
  /// The SDK ABI the plugin was compiled against: always kAbiVersion at the plugin's build time.
  std::uint32_t abi_version;
  /// The plugin id; must equal the manifest's "id". Static storage, NUL-terminated.
  const char* id;
  /// The plugin version (semantic version); must equal the manifest's "version".
  const char* version;
  /// The plugin kind; must equal the manifest's "kind".
  PluginKind kind;
  /// Creates a new plugin object, owned by the caller. Throws stella::sdk::Error on failure; the
  /// host records the plugin as broken with that message.
  Plugin* (*create)();
};

/// Signature of the exported entry function.
using PluginEntry = const PluginDescriptor&();

STELLA_SDK_NAMESPACE_END

/// The name of the exported entry symbol (a Boost.DLL alias) the host looks up.
#define STELLA_PLUGIN_ENTRY_NAME stella_plugin_entry_v1

/// Exports `function` (of type stella::sdk::PluginEntry) as the plugin's entry. Use exactly once
/// per plugin library, at namespace scope in one source file:
///
///     const stella::sdk::PluginDescriptor& describe() { static const ... d{...}; return d; }
///     STELLA_PLUGIN_EXPORT(describe)
#define STELLA_PLUGIN_EXPORT(function) BOOST_DLL_ALIAS(function, stella_plugin_entry_v1)
