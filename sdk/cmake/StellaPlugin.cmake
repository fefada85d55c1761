# stella_add_plugin(<target> MANIFEST <manifest.json> SOURCES <src>... [LIBRARIES <lib>...]
#                   [FOLDER <name>] [NO_INSTALL])
#
# Builds a Stella plugin: a shared library with hidden visibility (only the entry alias is
# exported), placed in <plugin-dir>/<id>/ beside a copy of its manifest.json, and installed the same
# way under STELLA_PLUGIN_INSTALL_DIR (default lib/stella/plugins, install COMPONENT plugins). The
# plugin id is read from the manifest so that the folder, the manifest and the descriptor cannot
# drift apart.
#
#   FOLDER <name>  the plugin's folder under the output directory, instead of its id (test fixtures
#                  use it to put two plugins of the same id side by side)
#   NO_INSTALL     build only; `cmake --install` leaves the plugin out (test fixtures)
#
# Variables read (all optional):
#   STELLA_PLUGIN_OUTPUT_DIR   where built plugins go (default: ${CMAKE_BINARY_DIR}/plugins)
#   STELLA_PLUGIN_INSTALL_DIR  where `cmake --install` puts them (default: lib/stella/plugins)
function(stella_add_plugin target)
  cmake_parse_arguments(ARG "NO_INSTALL" "MANIFEST;FOLDER" "SOURCES;LIBRARIES" ${ARGN})
  if(NOT ARG_MANIFEST OR NOT ARG_SOURCES)
    message(FATAL_ERROR "stella_add_plugin(${target}): MANIFEST and SOURCES are required")
  endif()
  get_filename_component(manifest "${ARG_MANIFEST}" ABSOLUTE)
  file(READ "${manifest}" manifest_json)
  string(JSON plugin_id ERROR_VARIABLE json_error GET "${manifest_json}" id)
  if(json_error)
    message(FATAL_ERROR "stella_add_plugin(${target}): ${manifest} has no string \"id\": ${json_error}")
  endif()
  string(JSON plugin_library ERROR_VARIABLE json_error GET "${manifest_json}" library)
  if(json_error)
    message(FATAL_ERROR "stella_add_plugin(${target}): ${manifest} has no string \"library\"")
  endif()
  if(NOT plugin_library MATCHES "^lib(.+)\\.so$")
    message(FATAL_ERROR "stella_add_plugin(${target}): library \"${plugin_library}\" must be lib<name>.so")
  endif()
  set(library_name "${CMAKE_MATCH_1}")

  if(NOT STELLA_PLUGIN_OUTPUT_DIR)
    set(STELLA_PLUGIN_OUTPUT_DIR "${CMAKE_BINARY_DIR}/plugins")
  endif()
  if(NOT STELLA_PLUGIN_INSTALL_DIR)
    set(STELLA_PLUGIN_INSTALL_DIR "lib/stella/plugins")
  endif()
  set(folder "${plugin_id}")
  if(ARG_FOLDER)
    set(folder "${ARG_FOLDER}")
  endif()
  set(out_dir "${STELLA_PLUGIN_OUTPUT_DIR}/${folder}")

  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE stella::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    PREFIX "lib"
    OUTPUT_NAME "${library_name}"
    LIBRARY_OUTPUT_DIRECTORY "${out_dir}")
  # Unresolved symbols are a build error, not a dlopen error on an operator's machine. A sanitizer
  # or fuzzing build sets STELLA_PLUGIN_ALLOW_UNDEFINED: its runtime lives in the executable.
  if(NOT STELLA_PLUGIN_ALLOW_UNDEFINED)
    target_link_options(${target} PRIVATE "LINKER:--no-undefined")
  endif()
  configure_file("${manifest}" "${out_dir}/manifest.json" COPYONLY)
  if(NOT ARG_NO_INSTALL)
    install(TARGETS ${target} LIBRARY DESTINATION "${STELLA_PLUGIN_INSTALL_DIR}/${folder}"
      COMPONENT plugins)
    install(FILES "${manifest}" DESTINATION "${STELLA_PLUGIN_INSTALL_DIR}/${folder}"
      COMPONENT plugins)
  endif()
endfunction()
