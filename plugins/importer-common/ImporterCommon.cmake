# stella_add_importer(<target> SOURCES <src>... [SCHEMAS <name>...] [LIBRARIES <lib>...])
#
# Builds the storage-importer plugin of the calling folder (its manifest.json beside its
# CMakeLists.txt) from its own sources plus the shared sources of this folder: safe paths, limits,
# SHA-256, JSON with schema validation, secure directory reading and the bundle format reader.
# SCHEMAS names JSON Schemas under schemas/ (e.g. bundle-manifest.schema.json) that are embedded
# into the plugin, so it validates its input without the host. The plugin id and version are read
# from the manifest and compiled in, so the descriptor always matches the manifest. Importers link
# the SDK, OpenSSL (SHA-256) and what they name in LIBRARIES (libarchive) — never the host.
include_guard(GLOBAL)

function(stella_add_importer target)
  set(STELLA_IMPORTER_COMMON_DIR "${CMAKE_CURRENT_FUNCTION_LIST_DIR}")
  cmake_parse_arguments(ARG "" "" "SOURCES;SCHEMAS;LIBRARIES" ${ARGN})
  set(manifest "${CMAKE_CURRENT_SOURCE_DIR}/manifest.json")
  file(READ "${manifest}" manifest_json)
  string(JSON plugin_id ERROR_VARIABLE id_error GET "${manifest_json}" id)
  string(JSON plugin_version ERROR_VARIABLE version_error GET "${manifest_json}" version)
  string(JSON source_format ERROR_VARIABLE format_error GET "${manifest_json}" provides sourceFormats 0)
  if(id_error OR version_error OR format_error)
    message(FATAL_ERROR "stella_add_importer(${target}): ${manifest} needs \"id\", \"version\" "
                        "and \"provides\": {\"sourceFormats\": [<id>]}")
  endif()

  set(schema_files "")
  foreach(schema IN LISTS ARG_SCHEMAS)
    list(APPEND schema_files "${PROJECT_SOURCE_DIR}/schemas/${schema}")
  endforeach()
  set(generated "${CMAKE_CURRENT_BINARY_DIR}/generated/importer_schemas.cpp")
  # '|' separates the names: a ';' would split the argument on its way through the shell.
  string(REPLACE ";" "|" schema_names "${ARG_SCHEMAS}")
  add_custom_command(OUTPUT "${generated}"
    COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${generated}" "-DROOT=${PROJECT_SOURCE_DIR}/schemas"
            "-DFILES=${schema_names}" -P "${STELLA_IMPORTER_COMMON_DIR}/EmbedImporterSchemas.cmake"
    DEPENDS ${schema_files} "${STELLA_IMPORTER_COMMON_DIR}/EmbedImporterSchemas.cmake"
    COMMENT "Embedding JSON Schemas into ${plugin_id}"
    VERBATIM)

  set(common
    "${STELLA_IMPORTER_COMMON_DIR}/background_walk.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/bundle_format_reader.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/checksum_line.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/file_warmer.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/import_budget.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/importer_json.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/line_splitter.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/path_key.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/safe_path.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/secure_tree.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/sha256_hasher.cpp"
    "${STELLA_IMPORTER_COMMON_DIR}/two_thread_read.cpp")
  stella_add_plugin(${target}
    MANIFEST "${manifest}"
    SOURCES ${ARG_SOURCES} ${common} "${generated}"
    LIBRARIES OpenSSL::Crypto ${ARG_LIBRARIES})
  target_include_directories(${target} PRIVATE "${STELLA_IMPORTER_COMMON_DIR}" ${RAPIDJSON_INCLUDE_DIR})
  target_compile_definitions(${target} PRIVATE
    RAPIDJSON_HAS_STDSTRING=1
    STELLA_IMPORTER_PLUGIN_ID="${plugin_id}"
    STELLA_IMPORTER_PLUGIN_VERSION="${plugin_version}"
    STELLA_IMPORTER_SOURCE_FORMAT="${source_format}")
endfunction()
