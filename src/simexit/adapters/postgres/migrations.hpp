#pragma once
// The PostgreSQL schema as numbered migrations, embedded in the binary: the
// same numbers and meaning as SQLite's (adapters/sqlite/migrations/), in
// PostgreSQL's dialect. Each migration is a file migrations/NNNN_name.sql,
// applied once in its own transaction and recorded in
// schema_migrations(version, name, applied_at). Never edit a migration that
// has shipped: add the next number, on both stores.

#include <span>

namespace simexit::pg {

struct Migration {
  int version;
  const char* name;  // "0001_initial"
  const char* sql;   // one or more statements, run with PQexec
};

// Every migration, ascending by version.
std::span<const Migration> Migrations();

}  // namespace simexit::pg
