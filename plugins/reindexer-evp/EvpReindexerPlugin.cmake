# stella_add_evp_reindexer(<target> OPENSSL_DIGEST <name>)
#
# Builds the reindexer plugin of the calling folder (its manifest.json beside its CMakeLists.txt)
# from the one shared source evp_reindexer.cpp. The plugin id, version and algorithm id are read
# from the manifest and compiled in, so the descriptor always matches the manifest; OPENSSL_DIGEST
# is OpenSSL's name of the algorithm (EVP_MD_fetch). Plugins link the SDK and OpenSSL only.
include_guard(GLOBAL)

function(stella_add_evp_reindexer target)
  cmake_parse_arguments(ARG "" "OPENSSL_DIGEST" "" ${ARGN})
  if(NOT ARG_OPENSSL_DIGEST)
    message(FATAL_ERROR "stella_add_evp_reindexer(${target}): OPENSSL_DIGEST is required")
  endif()
  set(manifest "${CMAKE_CURRENT_SOURCE_DIR}/manifest.json")
  file(READ "${manifest}" manifest_json)
  string(JSON plugin_id ERROR_VARIABLE id_error GET "${manifest_json}" id)
  string(JSON plugin_version ERROR_VARIABLE version_error GET "${manifest_json}" version)
  string(JSON algorithm ERROR_VARIABLE algorithm_error GET "${manifest_json}" provides algorithms 0)
  if(id_error OR version_error OR algorithm_error)
    message(FATAL_ERROR "stella_add_evp_reindexer(${target}): ${manifest} needs \"id\", "
                        "\"version\" and \"provides\": {\"algorithms\": [<id>]}")
  endif()
  stella_add_plugin(${target}
    MANIFEST "${manifest}"
    SOURCES "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/evp_reindexer.cpp"
    LIBRARIES OpenSSL::Crypto)
  target_compile_definitions(${target} PRIVATE
    STELLA_REINDEXER_PLUGIN_ID="${plugin_id}"
    STELLA_REINDEXER_PLUGIN_VERSION="${plugin_version}"
    STELLA_REINDEXER_ALGORITHM="${algorithm}"
    STELLA_REINDEXER_OPENSSL_DIGEST="${ARG_OPENSSL_DIGEST}")
endfunction()
