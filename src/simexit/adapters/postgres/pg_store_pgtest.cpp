// The Store contract suite (testing/store_contract/) on a live PostgreSQL 15
// server, plus what only PostgreSQL does. Not registered with ctest: it needs
// the server that tests/support/run_pg_tests.sh starts, whose URL it reads from
// SIMEXIT_TEST_PG_URL (e.g. postgresql://postgres@127.0.0.1:5439/simexit_test).
// The contract tests share one migrated schema (search_path set through the
// URL's `options`), emptied before each test; the PostgreSQL-specific tests
// below each migrate a schema of their own.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <future>
#include <set>
#include <thread>

#include "simexit/adapters/postgres/migrations.hpp"
#include "simexit/adapters/postgres/pg_store.hpp"
#include "simexit/adapters/postgres/pg_tx.hpp"
#include "simexit/testing/store_contract/store_contract.hpp"

namespace simexit {
namespace {

using testing::Must;
using testing::StoreConcurrencyContractTest;
using testing::StoreContractParam;
using testing::StoreContractTest;
using testing::StoreHarness;

std::string ServerUrl() {
  const char* url = std::getenv("SIMEXIT_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    ADD_FAILURE() << "SIMEXIT_TEST_PG_URL is not set (tests/support/run_pg_tests.sh sets it)";
    std::abort();
  }
  return url;
}

// The server URL with search_path set to `schema`.
std::string UrlForSchema(const std::string& schema) {
  const std::string base = ServerUrl();
  return fmt::format("{}{}options=-c%20search_path%3D{}", base,
                     base.find('?') == std::string::npos ? "?" : "&", schema);
}

// A new, empty schema on the test server.
std::string FreshSchema() {
  static std::atomic<int> counter{0};
  std::string schema = fmt::format("t{}_{}", getpid(), counter.fetch_add(1));
  pg::Connection admin;
  Result<void> opened = admin.Open(ServerUrl());
  if (!opened) {
    ADD_FAILURE() << opened.error().message;
    std::abort();
  }
  Result<void> created = admin.Exec(fmt::format("CREATE SCHEMA {}", schema).c_str(), "schema");
  EXPECT_TRUE(created) << (created ? "" : created.error().message);
  return schema;
}

OperatorRecord AnOperator(const std::string& code) {
  OperatorRecord op;
  op.code = code;
  op.name = "Op " + code;
  op.default_language = "kk";
  op.created_at = 1'700'000'000;
  return op;
}

std::unique_ptr<Store> OpenMigrated(const std::string& url, PostgresOptions options = {}) {
  Result<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(url, options);
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

// The contract suite's schema: migrated once per run, emptied for each test
// (every row deleted and every identity restarted, keeping what the
// migrations recorded), which is as fresh as a new database and costs one
// commit instead of nine. DELETE, not TRUNCATE: TRUNCATE makes new files for
// every table, each fsync'd at commit and again at the next checkpoint.
const std::string& ContractSchema() {
  static const std::string schema = [] {
    std::string name = FreshSchema();
    std::unique_ptr<Store> store = OpenMigrated(UrlForSchema(name));
    if (store == nullptr) {
      std::abort();
    }
    return name;
  }();
  return schema;
}

void EmptyContractSchema() {
  static pg::Connection admin;
  static std::string empty_all;
  if (empty_all.empty()) {
    Result<void> opened = admin.Open(UrlForSchema(ContractSchema()));
    ASSERT_TRUE(opened) << opened.error().message;
    // One statement per table and per identity column; foreign keys are not
    // checked while the replication role is `replica` (superuser only).
    Result<std::optional<std::string>> statements = admin.QueryOne(
        "SELECT string_agg(format('DELETE FROM %I;', table_name), ' ') || ' ' || "
        "COALESCE((SELECT string_agg(format('ALTER TABLE %I ALTER COLUMN %I RESTART;', "
        "table_name, column_name), ' ') FROM information_schema.columns "
        "WHERE table_schema = $1 AND is_identity = 'YES'), '') "
        "FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' "
        "AND table_name NOT IN ('schema_migrations', 'audit_chain_start')",
        "schema", [](const pg::Row& row) { return row.Text(0); }, ContractSchema());
    ASSERT_TRUE(statements && *statements);
    empty_all =
        fmt::format("BEGIN; SET LOCAL session_replication_role = replica; {} COMMIT", **statements);
  }
  Result<void> emptied = admin.Exec(empty_all.c_str(), "schema");
  ASSERT_TRUE(emptied) << emptied.error().message;
}

class SchemaHarness final : public StoreHarness {
 public:
  SchemaHarness() { EmptyContractSchema(); }
  std::unique_ptr<Store> Open() override { return OpenMigrated(url_); }
  bool SharesDatabase() const override { return true; }

 private:
  std::string url_ = UrlForSchema(ContractSchema());
};

INSTANTIATE_TEST_SUITE_P(Postgres, StoreContractTest,
                         ::testing::Values(StoreContractParam{
                             "Schema", [] { return std::make_unique<SchemaHarness>(); }}),
                         [](const ::testing::TestParamInfo<StoreContractParam>& param_info) {
                           return param_info.param.name;
                         });

INSTANTIATE_TEST_SUITE_P(Postgres, StoreConcurrencyContractTest,
                         ::testing::Values(StoreContractParam{
                             "Schema", [] { return std::make_unique<SchemaHarness>(); }}),
                         [](const ::testing::TestParamInfo<StoreContractParam>& param_info) {
                           return param_info.param.name;
                         });

// --- PostgreSQL-specific behaviour ---------------------------------------------------

TEST(PostgresStoreTest, MigrateRecordsEveryShippedMigration) {
  std::unique_ptr<Store> store = OpenMigrated(UrlForSchema(FreshSchema()));
  ASSERT_NE(store, nullptr);
  std::vector<int> expected;
  for (const pg::Migration& m : pg::Migrations()) {
    expected.push_back(m.version);
  }
  EXPECT_EQ(expected, (std::vector<int>{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 16, 17}));
  EXPECT_EQ(Must(store->AppliedMigrations()), expected);
}

TEST(PostgresStoreTest, TwoStoresMigratingAtOnceApplyEachMigrationOnce) {
  const std::string url = UrlForSchema(FreshSchema());
  auto a = PostgresStore::Open(url);
  auto b = PostgresStore::Open(url);
  ASSERT_TRUE(a && b);
  std::future<Result<void>> ma = std::async(std::launch::async, [&] { return (*a)->Migrate(); });
  std::future<Result<void>> mb = std::async(std::launch::async, [&] { return (*b)->Migrate(); });
  Result<void> ra = ma.get();
  Result<void> rb = mb.get();
  ASSERT_TRUE(ra) << ra.error().message;
  ASSERT_TRUE(rb) << rb.error().message;
  EXPECT_EQ(Must((*a)->AppliedMigrations()).size(), pg::Migrations().size());
}

TEST(PostgresStoreTest, AnUnreachableServerIsUnavailableAndTheMessageHidesThePassword) {
  // Port 1 on loopback: nothing listens there.
  Result<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open("postgresql://simexit:s3cret@127.0.0.1:1/simexit?connect_timeout=2");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(store.error().problem_code, "store_unavailable");
  EXPECT_EQ(store.error().message.find("s3cret"), std::string::npos) << store.error().message;
  EXPECT_NE(store.error().message.find("127.0.0.1"), std::string::npos) << store.error().message;
}

TEST(PostgresStoreTest, AMalformedUrlIsInvalid) {
  Result<std::unique_ptr<PostgresStore>> store =
      PostgresStore::Open("postgresql://u:pw@127.0.0.1:1/db?no_such_option=1");
  ASSERT_FALSE(store);
  EXPECT_EQ(store.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(store.error().problem_code, "invalid_store_url");
}

TEST(PostgresStoreTest, ConcurrentReadDecideWriteTransactionsAreSerialised) {
  // Every transaction reads a counter and writes it back plus one: with the
  // transaction lock none of the increments is lost, across two stores (two
  // "instances") and many threads, and none fails.
  const std::string url = UrlForSchema(FreshSchema());
  std::unique_ptr<Store> a = OpenMigrated(url);
  std::unique_ptr<Store> b = OpenMigrated(url);
  ASSERT_TRUE(a && b);
  constexpr int kThreads = 8;
  constexpr int kEach = 25;
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      Store& store = t % 2 == 0 ? *a : *b;
      for (int i = 0; i < kEach; ++i) {
        Result<void> done = store.Transact([](StoreTx& tx) -> Result<void> {
          SIMEXIT_ASSIGN_OR_RETURN(std::vector<OperatorRecord> ops, tx.ListOperators());
          OperatorRecord op = AnOperator("c");
          if (ops.empty()) {
            op.name = "1";
            SIMEXIT_TRY(tx.InsertOperator(op));
            return {};
          }
          op = ops.front();
          op.name = std::to_string(std::stoi(op.name) + 1);
          return tx.UpdateOperator(op);
        });
        if (!done) {
          failures.fetch_add(1);
        }
      }
    });
  }
  for (std::thread& t : threads) {
    t.join();
  }
  EXPECT_EQ(failures.load(), 0);
  std::vector<OperatorRecord> ops = Must(TransactValue<std::vector<OperatorRecord>>(
      *a, [](StoreTx& tx) { return tx.ListOperators(); }));
  ASSERT_EQ(ops.size(), 1u);
  EXPECT_EQ(ops[0].name, std::to_string(kThreads * kEach));
}

TEST(PostgresStoreTest, AFailedStatementDoesNotAbortTheTransaction) {
  // As on SQLite: a caller that handles a duplicate carries on in the same
  // transaction (each write runs in its own savepoint).
  std::unique_ptr<Store> store = OpenMigrated(UrlForSchema(FreshSchema()));
  ASSERT_NE(store, nullptr);
  Result<void> done = store->Transact([](StoreTx& tx) -> Result<void> {
    OperatorRecord op = AnOperator("kcell");
    SIMEXIT_TRY(tx.InsertOperator(op));
    Result<std::int64_t> again = tx.InsertOperator(op);
    if (again || again.error().code != ErrorCode::kAlreadyExists) {
      return Fail(ErrorCode::kInternal, "database_error", "expected a duplicate");
    }
    op.code = "beeline";
    SIMEXIT_TRY(tx.InsertOperator(op));
    return {};
  });
  ASSERT_TRUE(done) << done.error().message;
  EXPECT_EQ(Must(TransactValue<std::vector<OperatorRecord>>(
                     *store, [](StoreTx& tx) { return tx.ListOperators(); }))
                .size(),
            2u);
}

// Date columns hold "YYYY-MM-DD" or '' (none); anything else is a corrupt row
// naming the table and column, never a date silently dropped.
TEST(PostgresStoreTest, DateColumnsReadTheirTextOrReportTheRowCorrupt) {
  pg::Connection conn;
  ASSERT_TRUE(conn.Open(ServerUrl()));
  const auto read = [&conn](const char* text) {
    return conn.QueryOne(
        "SELECT $1::text", "terminations",
        [](const pg::Row& row) {
          return pg::OptionalDateColumn(row, 0, "terminations", "postmarked_on");
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
  Result<std::optional<CivilDate>> required = conn.QueryOne(
      "SELECT ''::text", "powers_of_attorney",
      [](const pg::Row& row) { return pg::DateColumn(row, 0, "powers_of_attorney", "issued_on"); });
  ASSERT_FALSE(required);
  EXPECT_EQ(required.error().problem_code, "corrupt_row");
  EXPECT_NE(required.error().message.find("powers_of_attorney.issued_on"), std::string::npos);
}

// Ends every server process of connections named `application_name`, waiting
// until they are gone.
void KillConnections(const std::string& application_name) {
  pg::Connection admin;
  ASSERT_TRUE(admin.Open(ServerUrl()));
  Result<std::optional<std::string>> killed = admin.QueryOne(
      "SELECT count(pg_terminate_backend(pid, 5000))::text FROM pg_stat_activity "
      "WHERE application_name = $1",
      "pg_stat_activity", [](const pg::Row& row) { return row.Text(0); }, application_name);
  ASSERT_TRUE(killed && *killed);
  EXPECT_NE(**killed, "0");
}

TEST(PostgresStoreTest, ABrokenIdleConnectionIsReplacedWithoutFailingTheCall) {
  // The server ended the pool's connection (a restart, a fail-over): nothing
  // of the next transaction ran on it, so it runs on a new one.
  const std::string url = UrlForSchema(FreshSchema()) + "&application_name=simexit_idle";
  PostgresOptions options;
  options.pool_size = 1;
  std::unique_ptr<Store> store = OpenMigrated(url, options);
  ASSERT_NE(store, nullptr);
  KillConnections("simexit_idle");
  Result<std::vector<OperatorRecord>> ops = TransactValue<std::vector<OperatorRecord>>(
      *store, [](StoreTx& tx) { return tx.ListOperators(); });
  ASSERT_TRUE(ops) << ops.error().problem_code << ": " << ops.error().message;
}

TEST(PostgresStoreTest, AConnectionLostInATransactionIsStoreUnavailableThenRecovers) {
  const std::string url = UrlForSchema(FreshSchema()) + "&application_name=simexit_busy";
  PostgresOptions options;
  options.pool_size = 1;
  std::unique_ptr<Store> store = OpenMigrated(url, options);
  ASSERT_NE(store, nullptr);
  Result<void> lost = store->Transact([](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.InsertOperator(AnOperator("kcell")));
    KillConnections("simexit_busy");
    SIMEXIT_TRY(tx.InsertOperator(AnOperator("beeline")));
    return {};
  });
  ASSERT_FALSE(lost);
  EXPECT_EQ(lost.error().code, ErrorCode::kUnavailable);
  EXPECT_EQ(lost.error().problem_code, "store_unavailable");
  // Nothing of it was committed, and the store works again.
  Result<std::vector<OperatorRecord>> ops = TransactValue<std::vector<OperatorRecord>>(
      *store, [](StoreTx& tx) { return tx.ListOperators(); });
  ASSERT_TRUE(ops) << ops.error().message;
  EXPECT_TRUE(ops->empty());
}

}  // namespace
}  // namespace simexit
