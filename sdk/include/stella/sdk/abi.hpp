// The plugin ABI version and the versioned namespace every SDK symbol lives in.
//
// kAbiVersion is bumped on ANY change to a type or virtual function that crosses the plugin
// boundary (see docs/abi-policy.md). The SDK symbols live in an inline namespace named after the
// version, so a plugin compiled against a stale SDK fails to link against a newer host's types
// instead of crashing at run time.
#pragma once

#include <cstdint>

#define STELLA_SDK_ABI_VERSION 1
#define STELLA_SDK_NAMESPACE_BEGIN \
  namespace stella::sdk {          \
  inline namespace abi_v1 {
#define STELLA_SDK_NAMESPACE_END \
  }                              \
  }

STELLA_SDK_NAMESPACE_BEGIN

/// The ABI version this SDK was built for. A host loads a plugin only when the plugin's descriptor
/// reports exactly the ABI version the host was built with (see host abi_compatibility).
inline constexpr std::uint32_t kAbiVersion = STELLA_SDK_ABI_VERSION;

STELLA_SDK_NAMESPACE_END
