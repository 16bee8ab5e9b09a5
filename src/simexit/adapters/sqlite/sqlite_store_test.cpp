#include "simexit/adapters/sqlite/sqlite_store.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <future>
#include <thread>

#include "simexit/adapters/sqlite/migrations.hpp"
#include "simexit/adapters/sqlite/sqlite_tx.hpp"
#include "simexit/testing/store_contract/store_contract.hpp"
#include "simexit/testing/temp_dir.hpp"
#include "simexit/testing/values.hpp"

namespace simexit {
namespace {

using testing::Must;
using testing::StoreConcurrencyContractTest;
using testing::StoreContractParam;
using testing::StoreContractTest;
using testing::StoreHarness;

using testing::TempDir;

std::unique_ptr<Store> OpenMigrated(const std::string& path, const SqliteOptions& options = {}) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path, options);
  if (!store) {
    ADD_FAILURE() << store.error().problem_code << ": " << store.error().message;
    return nullptr;
  }
  Result<void> migrated = (*store)->Migrate();
  if (!migrated) {
    ADD_FAILURE() << migrated.error().problem_code << ": " << migrated.error().message;
    return nullptr;
  }
  return std::move(*store);
}

class MemoryHarness final : public StoreHarness {
 public:
  std::unique_ptr<Store> Open() override { return OpenMigrated(":memory:"); }
  bool SharesDatabase() const override { return false; }
};

class FileHarness final : public StoreHarness {
 public:
  std::unique_ptr<Store> Open() override { return OpenMigrated(dir_.File("simexit.db")); }
  bool SharesDatabase() const override { return true; }

 private:
  TempDir dir_;
};

INSTANTIATE_TEST_SUITE_P(
    Sqlite, StoreContractTest,
    ::testing::Values(StoreContractParam{"Memory",
                                         [] { return std::make_unique<MemoryHarness>(); }},
                      StoreContractParam{"File", [] { return std::make_unique<FileHarness>(); }}),
    [](const ::testing::TestParamInfo<StoreContractParam>& param_info) {
      return param_info.param.name;
    });

// Two connections to one database: only a file can be shared.
INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConcurrencyContractTest,
                         ::testing::Values(StoreContractParam{
                             "File", [] { return std::make_unique<FileHarness>(); }}),
                         [](const ::testing::TestParamInfo<StoreContractParam>& param_info) {
                           return param_info.param.name;
                         });

// --- SQLite-specific behaviour -------------------------------------------------------

TEST(SqliteStoreTest, OpenFailsUnavailableForAMissingDirectory) {
  Result<std::unique_ptr<SqliteStore>> store =
      SqliteStore::Open("/nonexistent-simexit-dir/sub/simexit.db");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().problem_code, "database_unavailable");
}

TEST(SqliteStoreTest, OpenFailsUnavailableForAFileThatIsNotADatabase) {
  TempDir dir;
  std::string path = dir.File("junk.db");
  {
    FILE* f = fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    fputs("this is not an SQLite database, just some text that is long enough........\n", f);
    fclose(f);
  }
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().problem_code, "database_unavailable");
}

TEST(SqliteStoreTest, FileUsesWalAndKeepsDataAcrossReopen) {
  TempDir dir;
  std::string path = dir.File("simexit.db");
  {
    std::unique_ptr<Store> store = OpenMigrated(path);
    ASSERT_NE(store, nullptr);
    Must(TransactValue<std::int64_t>(*store,
                                     [](StoreTx& tx) { return tx.NextSequence("certificate"); }));
  }
  // Inspect the file with the plain C API.
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA journal_mode", -1, &stmt, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)), "wal");
  sqlite3_finalize(stmt);
  ASSERT_EQ(
      sqlite3_prepare_v2(db, "SELECT version, name FROM schema_migrations", -1, &stmt, nullptr),
      SQLITE_OK);
  ASSERT_EQ(sqlite3_step(stmt), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(stmt, 0), 1);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)), "0001_initial");
  sqlite3_finalize(stmt);
  sqlite3_close(db);

  std::unique_ptr<Store> reopened = OpenMigrated(path);
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(Must(TransactValue<std::int64_t>(
                *reopened, [](StoreTx& tx) { return tx.NextSequence("certificate"); })),
            2);
}

TEST(SqliteStoreTest, AppliedMigrationsIsEmptyBeforeMigrateAndListsAllAfter) {
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(":memory:");
  ASSERT_TRUE(store);
  EXPECT_TRUE(Must((*store)->AppliedMigrations()).empty());
  Must((*store)->Migrate());
  std::vector<int> expected;
  for (const sqlite::Migration& m : sqlite::Migrations()) {
    expected.push_back(m.version);
  }
  EXPECT_EQ(Must((*store)->AppliedMigrations()), expected);
}

// The versions and names recorded in schema_migrations by every build so far:
// the embedded .sql files must keep them, or existing databases would migrate again.
TEST(SqliteStoreTest, EmbeddedMigrationsKeepTheirShippedVersionsAndNames) {
  const std::vector<std::pair<int, std::string>> shipped = {
      {1, "0001_initial"},       {2, "0002_sms_outbox"},     {3, "0003_audit_log"},
      {4, "0004_channels"},      {5, "0005_sms_recipient"},  {6, "0006_one_name_per_idea"},
      {7, "0007_audit_chain"},   {8, "0008_contact_msisdn"}, {9, "0009_number_recycling"},
      {10, "0010_reactivation"}, {11, "0011_event_outbox"},  {12, "0012_idempotent_requests"}};
  std::span<const sqlite::Migration> migrations = sqlite::Migrations();
  ASSERT_GE(migrations.size(), shipped.size());
  // Ascending, each named for its version; a gap is allowed while a numbered
  // migration lands on its own branch (embed_migrations.cmake).
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    EXPECT_GT(migrations[i].version, i == 0 ? 0 : migrations[i - 1].version);
    EXPECT_EQ(std::string(migrations[i].name).substr(0, 5),
              fmt::format("{:04}_", migrations[i].version));
    const std::string sql = migrations[i].sql;
    EXPECT_TRUE(sql.find("CREATE") != std::string::npos || sql.find("ALTER") != std::string::npos ||
                sql.find("UPDATE") != std::string::npos)
        << migrations[i].name << " changes neither schema nor data";
  }
  for (std::size_t i = 0; i < shipped.size(); ++i) {
    EXPECT_EQ(migrations[i].version, shipped[i].first);
    EXPECT_EQ(migrations[i].name, shipped[i].second);
  }
}

// Writes a database at `path` as a build that knew the migrations up to
// `version` left it, then runs `rows` (SQL) on it; foreign keys are off on this
// raw connection, so rows may stand alone.
void DatabaseAtVersion(const std::string& path, int version, const std::vector<std::string>& rows) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  const auto exec = [db](const std::string& sql) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &error);
    EXPECT_EQ(rc, SQLITE_OK) << (error != nullptr ? error : "") << "\n" << sql;
    sqlite3_free(error);
  };
  exec(
      "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
      "applied_at INTEGER NOT NULL)");
  for (const sqlite::Migration& m : sqlite::Migrations()) {
    if (m.version > version) {
      break;
    }
    exec(m.sql);
    exec(fmt::format("INSERT INTO schema_migrations VALUES ({}, '{}', 0)", m.version, m.name));
  }
  for (const std::string& row : rows) {
    exec(row);
  }
  sqlite3_close(db);
}

// A database written before 0006 keeps its idempotency keys (the termination
// each created) and its sign-in codes through the renames.
TEST(SqliteStoreTest, Migration0006KeepsIdempotencyKeysAndSignInCodes) {
  TempDir dir;
  const std::string path = dir.File("simexit.db");
  DatabaseAtVersion(
      path, 5,
      {
          "INSERT INTO idempotency_keys (scope, \"key\", request_hash, status, response_body, "
          "created_at) VALUES ('holder:12', 'abc', 'h1', 201, 'trm_1', 77)",
          "INSERT INTO otp_challenges (msisdn, code_hash, salt, created_at, expires_at, attempts, "
          "max_attempts) VALUES ('+77011234567', 'ab', 'cd', 100, 400, 2, 5)",
      });
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  const std::optional<IdempotencyRecord> key = Must(TransactValue<std::optional<IdempotencyRecord>>(
      *store, [](StoreTx& tx) { return tx.FindIdempotency("holder:12", "abc"); }));
  ASSERT_TRUE(key);
  EXPECT_EQ(key->request_hash, "h1");
  EXPECT_EQ(key->termination_id, "trm_1");
  EXPECT_EQ(key->created_at, 77);
  const std::optional<SignInCodeRecord> code =
      Must(TransactValue<std::optional<SignInCodeRecord>>(*store, [](StoreTx& tx) {
        return tx.LatestSignInCode(testing::TestMsisdn("+77011234567"));
      }));
  ASSERT_TRUE(code);
  EXPECT_EQ(code->code_hash, "ab");
  EXPECT_EQ(code->attempts, 2);
  EXPECT_EQ(code->expires_at, 400);
}

// A power of attorney stored by a build before 0017 with its dates as typed
// (spaces around them) reads back as dates after the migration.
TEST(SqliteStoreTest, Migration0017TrimsDatesStoredAsTyped) {
  TempDir dir;
  const std::string path = dir.File("simexit.db");
  DatabaseAtVersion(
      path, 16,
      {
          "INSERT INTO powers_of_attorney (termination_id, operator_id, number, issued_on, "
          "valid_until, issuer, principal_document, scope_json, created_at) VALUES ('trm_1', 1, "
          "'POA-1', ' 2026-01-10', '2027-01-10 ', 'Notary', '900101300017', '[\"termination\"]', "
          "5)",
      });
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  const std::optional<PowerOfAttorneyRecord> poa =
      Must(TransactValue<std::optional<PowerOfAttorneyRecord>>(
          *store, [](StoreTx& tx) { return tx.FindPowerOfAttorney("trm_1"); }));
  ASSERT_TRUE(poa);
  EXPECT_EQ(poa->issued_on, (CivilDate{2026, 1, 10}));
  EXPECT_EQ(poa->valid_until, (CivilDate{2027, 1, 10}));
}

// Dates are stored as "YYYY-MM-DD" text and no date as '' (the columns are
// TEXT NOT NULL DEFAULT ''); anything else reads as a corrupt row naming the
// table and column, never a date silently dropped.
TEST(SqliteStoreTest, DateColumnsHoldTheirTextAndReportAnythingElseAsCorrupt) {
  sqlite::Connection conn;
  ASSERT_TRUE(conn.Open(":memory:"));
  struct Stored {
    std::string date, none, none_type;
  };
  Result<std::optional<Stored>> stored = conn.QueryOne(
      "SELECT ?1, ?2, typeof(?2)", "terminations",
      [](const sqlite::Statement& row) {
        return Stored{row.Text(0), row.Text(1), row.Text(2)};
      },
      CivilDate{2026, 3, 2}, std::optional<CivilDate>());
  ASSERT_TRUE(stored && *stored);
  EXPECT_EQ((*stored)->date, "2026-03-02");
  EXPECT_EQ((*stored)->none, "");
  EXPECT_EQ((*stored)->none_type, "text");

  const auto read = [&conn](const char* text) {
    return conn.QueryOne(
        "SELECT ?1", "terminations",
        [](const sqlite::Statement& row) {
          return sqlite::OptionalDateColumn(row, 0, "terminations", "postmarked_on");
        },
        std::string(text));
  };
  Result<std::optional<std::optional<CivilDate>>> none = read("");
  ASSERT_TRUE(none && *none) << none.error().message;
  EXPECT_FALSE(**none);
  Result<std::optional<std::optional<CivilDate>>> date = read("2026-03-02");
  ASSERT_TRUE(date && *date && **date) << date.error().message;
  EXPECT_EQ(***date, (CivilDate{2026, 3, 2}));
  for (const char* bad : {"2026-02-30", "02.03.2026", " 2026-03-02"}) {
    Result<std::optional<std::optional<CivilDate>>> corrupt = read(bad);
    ASSERT_FALSE(corrupt) << bad;
    EXPECT_EQ(corrupt.error().code, ErrorCode::kInternal);
    EXPECT_EQ(corrupt.error().problem_code, "corrupt_row");
    EXPECT_NE(corrupt.error().message.find("terminations.postmarked_on"), std::string::npos)
        << corrupt.error().message;
  }
  Result<std::optional<CivilDate>> required =
      conn.QueryOne("SELECT ''", "powers_of_attorney", [](const sqlite::Statement& row) {
        return sqlite::DateColumn(row, 0, "powers_of_attorney", "issued_on");
      });
  ASSERT_FALSE(required);
  EXPECT_EQ(required.error().problem_code, "corrupt_row");
  EXPECT_NE(required.error().message.find("powers_of_attorney.issued_on"), std::string::npos);
}

TEST(SqliteStoreTest, MigrateRefusesADatabaseFromANewerBuild) {
  TempDir dir;
  std::string path = dir.File("simexit.db");
  ASSERT_NE(OpenMigrated(path), nullptr);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "INSERT INTO schema_migrations (version, name, applied_at) "
                         "VALUES (9999, '9999_future', 0)",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(path);
  ASSERT_TRUE(store);
  Result<void> migrated = (*store)->Migrate();
  ASSERT_FALSE(migrated);
  EXPECT_EQ(migrated.error().code, ErrorCode::kFailedPrecondition);
  EXPECT_EQ(migrated.error().problem_code, "schema_too_new");
}

// Runs `sql` on a raw connection, failing the test with SQLite's message.
void ExecRaw(sqlite3* db, const char* sql) {
  char* message = nullptr;
  int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  EXPECT_EQ(rc, SQLITE_OK) << (message != nullptr ? message : "") << "\n" << sql;
  sqlite3_free(message);
}

TEST(SqliteStoreTest, Migration4UpgradesADatabaseAtVersion3WithTerminations) {
  TempDir dir;
  std::string path = dir.File("simexit.db");
  // A database as a build that knew migrations 1-3 left it, with a termination in review.
  {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    ExecRaw(db,
            "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
            "applied_at INTEGER NOT NULL) STRICT");
    for (const sqlite::Migration& m : sqlite::Migrations()) {
      if (m.version > 3) {
        continue;
      }
      ExecRaw(db, m.sql);
      std::string record = "INSERT INTO schema_migrations VALUES (" + std::to_string(m.version) +
                           ", '" + m.name + "', 0)";
      ExecRaw(db, record.c_str());
    }
    ExecRaw(db, R"sql(
      INSERT INTO operators (id, code, name, policy_json, default_language, created_at)
      VALUES (1, 'kcell', 'Kcell', '{}', 'ru', 1);
      INSERT INTO lines (id, operator_id, holder_id, msisdn, iccid, imsi, kind, status,
                         main_balance, bonus_balance, outstanding_charges, last_paid_activity_at,
                         quarantine_until, created_at, updated_at)
      VALUES (1, 1, NULL, '+77010000001', NULL, NULL, 'physical', 'active', 0, 0, 0, 0, NULL, 1, 1);
      INSERT INTO terminations (id, operator_id, line_id, holder_id, msisdn, channel, state,
                                scheduled_for, refund_method, refund_destination, settlement_json,
                                requested_by, reason, certificate_serial, created_at, updated_at)
      VALUES ('trm_old', 1, 1, NULL, '+77010000001', 'store', 'in_review', NULL, NULL, NULL, NULL,
              'api_key:3', '', '', 100, 200);
    )sql");
    sqlite3_close(db);
  }

  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  std::vector<int> expected;
  for (const sqlite::Migration& m : sqlite::Migrations()) {
    expected.push_back(m.version);
  }
  EXPECT_EQ(Must(store->AppliedMigrations()), expected);
  ASSERT_GE(expected.back(), 4);

  // The old row reads with the new columns at their defaults.
  TerminationRecord old = Must(TransactValue<TerminationRecord>(
      *store, [](StoreTx& tx) { return tx.GetTermination("trm_old"); }));
  EXPECT_EQ(old.state, TerminationState::kInReview);
  EXPECT_EQ(old.created_at, 100);
  EXPECT_FALSE(old.review_since.has_value());
  EXPECT_EQ(old.reason_code, "");
  EXPECT_EQ(old.reviewed_by, "");
  EXPECT_FALSE(old.postmarked_on.has_value());

  // It can be updated with them, and the new tables accept rows that refer to it.
  old.review_since = 150;
  old.reason_code = "document_mismatch";
  Must(store->Transact([&](StoreTx& tx) -> Result<void> {
    Must(tx.UpdateTermination(old));
    UploadRecord upload;
    upload.id = "upl_1";
    upload.operator_id = 1;
    upload.termination_id = "trm_old";
    upload.content_type = "image/png";
    Must(tx.InsertUpload(upload));
    StaffRecord staff;
    staff.operator_id = 1;
    staff.username = "agent";
    return tx.InsertStaff(staff).map([](std::int64_t) {});
  }));
  TerminationRecord updated = Must(TransactValue<TerminationRecord>(
      *store, [](StoreTx& tx) { return tx.GetTermination("trm_old"); }));
  EXPECT_EQ(updated.review_since, std::optional<UnixSeconds>(150));
  EXPECT_EQ(updated.reason_code, "document_mismatch");
  EXPECT_EQ(Must(TransactValue<std::vector<UploadRecord>>(
                     *store, [](StoreTx& tx) { return tx.ListUploads("trm_old"); }))
                .size(),
            1u);
}

TEST(SqliteStoreTest, AdminStaffHaveNoOperatorAndOthersNeedOne) {
  std::unique_ptr<Store> store = OpenMigrated(":memory:");
  ASSERT_NE(store, nullptr);
  StaffRecord orphan;
  orphan.username = "orphan";
  orphan.role = StaffRole::kBackOffice;  // operator_id 0: only admins may have none
  Result<std::int64_t> id =
      TransactValue<std::int64_t>(*store, [&](StoreTx& tx) { return tx.InsertStaff(orphan); });
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().problem_code, "constraint_violation");
}

TEST(SqliteStoreTest, WaitsForAnotherWriterThenReportsBusyAfterTheTimeout) {
  TempDir dir;
  std::string path = dir.File("simexit.db");
  std::unique_ptr<Store> holder = OpenMigrated(path);
  std::unique_ptr<Store> waiter =
      OpenMigrated(path, SqliteOptions{.busy_timeout_ms = 200, .before_commit = {}});
  std::unique_ptr<Store> patient = OpenMigrated(path);
  ASSERT_NE(holder, nullptr);
  ASSERT_NE(waiter, nullptr);
  ASSERT_NE(patient, nullptr);

  std::promise<void> inside;
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::thread writer([&] {
    Result<void> done = holder->Transact([&](StoreTx& tx) -> Result<void> {
      Must(tx.NextSequence("held"));
      inside.set_value();
      released.wait();
      return {};
    });
    EXPECT_TRUE(done);
  });
  inside.get_future().wait();

  auto started = std::chrono::steady_clock::now();
  Result<std::int64_t> blocked =
      TransactValue<std::int64_t>(*waiter, [](StoreTx& tx) { return tx.NextSequence("other"); });
  auto waited = std::chrono::steady_clock::now() - started;
  if (blocked) {
    ADD_FAILURE() << "a transaction got in while another process held the write lock";
  } else {
    EXPECT_EQ(blocked.error().code, ErrorCode::kUnavailable);
    EXPECT_EQ(blocked.error().problem_code, "database_busy");
  }
  EXPECT_GE(waited, std::chrono::milliseconds(150));

  // A waiter with a longer timeout gets in once the writer commits.
  std::future<Result<std::int64_t>> later = std::async(std::launch::async, [&] {
    return TransactValue<std::int64_t>(*patient,
                                       [](StoreTx& tx) { return tx.NextSequence("held"); });
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  release.set_value();
  writer.join();
  Result<std::int64_t> value = later.get();
  ASSERT_TRUE(value) << value.error().message;
  EXPECT_EQ(*value, 2);
}

TEST(SqliteStoreTest, ForeignKeysAreEnforced) {
  std::unique_ptr<Store> store = OpenMigrated(":memory:");
  ASSERT_NE(store, nullptr);
  LineRecord orphan;
  orphan.operator_id = 42;
  orphan.msisdn = testing::TestMsisdn("+77010000001");
  Result<std::int64_t> id =
      TransactValue<std::int64_t>(*store, [&](StoreTx& tx) { return tx.InsertLine(orphan); });
  ASSERT_FALSE(id);
  EXPECT_EQ(id.error().code, ErrorCode::kInternal);
  EXPECT_EQ(id.error().problem_code, "constraint_violation");
}

// The ledger rules cannot be broken through the port (InsertPosting refuses an
// unbalanced posting), so the row is edited behind the adapter's back, as a
// faulty migration or a hand-made fix would.
TEST(SqliteStoreTest, CheckInvariantsFindsALedgerEditedBehindTheAdaptersBack) {
  TempDir dir;
  const std::string path = dir.File("simexit.db");
  std::unique_ptr<Store> store = OpenMigrated(path);
  ASSERT_NE(store, nullptr);
  std::int64_t posting_id = 0;
  Must(store->Transact([&](StoreTx& tx) -> Result<void> {
    OperatorRecord op;
    op.code = "kcell";
    op.name = "Kcell";
    const std::int64_t op_id = Must(tx.InsertOperator(op));
    PostingRecord record;
    record.operator_id = op_id;
    record.posting = Posting{"payment", {{"a", Money::Tiyn(100)}, {"b", Money::Tiyn(-100)}}};
    posting_id = Must(tx.InsertPosting(record));
    return {};
  }));
  const auto check = [&] {
    return Must(TransactValue<std::vector<InvariantViolation>>(
        *store, [](StoreTx& tx) { return tx.CheckInvariants(0, 10); }));
  };
  EXPECT_TRUE(check().empty());

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  ExecRaw(db, "UPDATE ledger_entries SET amount = 150 WHERE account = 'a'");
  sqlite3_close(db);
  const std::vector<InvariantViolation> found = check();
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].invariant, "posting_balanced");
  EXPECT_EQ(found[0].subject, "posting:" + std::to_string(posting_id));
  EXPECT_EQ(found[0].detail, "entries sum to 50 tiyn");
  EXPECT_EQ(found[1].invariant, "ledger_balanced");
  EXPECT_EQ(found[1].subject, "ledger");
}

TEST(SqliteStoreTest, NestedTransactIsRefusedAndOuterStillCommits) {
  std::unique_ptr<Store> store = OpenMigrated(":memory:");
  ASSERT_NE(store, nullptr);
  Result<void> outer = store->Transact([&](StoreTx& tx) -> Result<void> {
    Must(tx.NextSequence("n"));
    Result<void> inner = store->Transact([](StoreTx&) -> Result<void> { return {}; });
    EXPECT_FALSE(inner);
    if (!inner) {
      EXPECT_EQ(inner.error().code, ErrorCode::kInternal);
      EXPECT_EQ(inner.error().problem_code, "reentrant_transaction");
    }
    return {};
  });
  ASSERT_TRUE(outer);
  EXPECT_EQ(
      Must(TransactValue<std::int64_t>(*store, [](StoreTx& tx) { return tx.NextSequence("n"); })),
      2);
}

TEST(SqliteStoreTest, ThreadsSharingOneStoreAreSerialised) {
  std::unique_ptr<Store> store = OpenMigrated(":memory:");
  ASSERT_NE(store, nullptr);
  constexpr int kThreads = 4;
  constexpr int kEach = 50;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  threads.reserve(kThreads);

  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Result<std::int64_t> next =
            TransactValue<std::int64_t>(*store, [](StoreTx& tx) { return tx.NextSequence("n"); });
        if (!next) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(
      Must(TransactValue<std::int64_t>(*store, [](StoreTx& tx) { return tx.NextSequence("n"); })),
      kThreads * kEach + 1);
}

}  // namespace
}  // namespace simexit
