#pragma once
// The SQLite schema as numbered migrations, embedded in the binary.
//
// A migration is applied once, in its own transaction, and recorded in
// schema_migrations(version, name, applied_at). Versions are dense and
// ascending from 1. Never edit a migration that has shipped: add a new one.
// docs/storage.md describes the schema.

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
