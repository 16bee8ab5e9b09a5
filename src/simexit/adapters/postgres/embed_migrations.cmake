# Embeds the PostgreSQL schema migrations (migrations/NNNN_name.sql) in
# simexit_store_postgres: each file becomes one entry {N, "NNNN_name", R"(...)"}
# of a generated .cpp, in file-name order. Versions must ascend from 1 without
# repeats; a gap is allowed, because a numbered migration may land on its own
# branch after a later number merged (0010, reactivation, beside 0011, events):
# Migrate() applies every version not yet recorded, not only those above the
# highest. The name recorded in schema_migrations is the file name without ".sql".
# Included from the top-level CMakeLists.txt after simexit_module(store_postgres ...).

set(_migrations_dir "${CMAKE_CURRENT_LIST_DIR}/migrations")
file(GLOB _migration_files CONFIGURE_DEPENDS "${_migrations_dir}/*.sql")
list(SORT _migration_files)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${_migration_files})

set(SIMEXIT_MIGRATION_ENTRIES "")
set(SIMEXIT_MIGRATION_COUNT 0)
set(_previous_version 0)
foreach(_file IN LISTS _migration_files)
  get_filename_component(_name "${_file}" NAME_WE)
  if(NOT _name MATCHES "^([0-9][0-9][0-9][0-9])_[a-z0-9_]+$")
    message(FATAL_ERROR "A migration is named NNNN_words.sql (lower case): ${_file}")
  endif()
  math(EXPR _version "${CMAKE_MATCH_1}")
  math(EXPR SIMEXIT_MIGRATION_COUNT "${SIMEXIT_MIGRATION_COUNT} + 1")
  if(NOT _version GREATER _previous_version)
    message(FATAL_ERROR "Migration versions must ascend from 1 without repeats: "
                        "${_file} follows version ${_previous_version}")
  endif()
  set(_previous_version ${_version})
  file(READ "${_file}" _sql)
  if(_sql MATCHES "\\)simexit_sql\"")
    message(FATAL_ERROR "${_file} contains the raw-string delimiter )simexit_sql\"")
  endif()
  string(APPEND SIMEXIT_MIGRATION_ENTRIES
         "    {${_version}, \"${_name}\", R\"simexit_sql(${_sql})simexit_sql\"},\n")
endforeach()
if(SIMEXIT_MIGRATION_COUNT EQUAL 0)
  message(FATAL_ERROR "No migrations found in ${_migrations_dir}")
endif()

configure_file("${CMAKE_CURRENT_LIST_DIR}/migrations.cpp.in"
               "${PROJECT_BINARY_DIR}/generated/postgres_migrations.cpp" @ONLY)
target_sources(simexit_store_postgres PRIVATE "${PROJECT_BINARY_DIR}/generated/postgres_migrations.cpp")
