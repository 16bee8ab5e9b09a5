#pragma once
// The SQLite schema as numbered migrations, embedded in the binary.
//
// Each migration is a file migrations/NNNN_name.sql; the build embeds them
// (embed_migrations.cmake generates the table behind Migrations()). A
// migration is applied once, in its own transaction, and recorded in
// schema_migrations(version, name, applied_at) as (N, "NNNN_name"). Versions
// ascend from 1 (the build checks; a gap is allowed while a numbered
// migration lands on its own branch). Never edit a migration
// that has shipped: add the next number. docs/storage.md describes the schema.

#include <span>

namespace simexit::sqlite {

struct Migration {
  int version;
  const char* name;  // "0001_initial"
  const char* sql;   // one or more statements, run with sqlite3_exec
};

// Every migration, ascending by version.
std::span<const Migration> Migrations();

}  // namespace simexit::sqlite
