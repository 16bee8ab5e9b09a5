// The pure parts of the PostgreSQL adapter: SQLSTATE mapping, URL redaction,
// parameter typing. Runs without a server (ctest).

#include "simexit/adapters/postgres/pg_db.hpp"

#include <gtest/gtest.h>

namespace simexit::pg {
namespace {

TEST(PgErrorTest, UniqueViolationIsAlreadyExistsNamingTheTable) {
  Error e = PgError("23505", false, "lines", "duplicate key value violates unique constraint");
  EXPECT_EQ(e.code, ErrorCode::kAlreadyExists);
  EXPECT_EQ(e.problem_code, "duplicate");
  EXPECT_NE(e.message.find("lines"), std::string::npos);
}

TEST(PgErrorTest, OtherConstraintsAreInternal) {
  for (const char* state : {"23503", "23514", "23502"}) {
    Error e = PgError(state, false, "lines", "violates");
    EXPECT_EQ(e.code, ErrorCode::kInternal) << state;
    EXPECT_EQ(e.problem_code, "constraint_violation") << state;
  }
}

TEST(PgErrorTest, SerializationFailureAndDeadlockAreRetryable) {
  for (const char* state : {"40001", "40P01"}) {
    EXPECT_TRUE(IsRetryableSqlstate(state)) << state;
    Error e = PgError(state, false, "jobs", "could not serialize");
    EXPECT_EQ(e.code, ErrorCode::kUnavailable) << state;
    EXPECT_EQ(e.problem_code, "database_busy") << state;
  }
  EXPECT_FALSE(IsRetryableSqlstate("23505"));
  EXPECT_FALSE(IsRetryableSqlstate(""));
}

TEST(PgErrorTest, ALostConnectionOrAShutdownIsStoreUnavailable) {
  for (const char* state : {"08006", "08001", "57P01", "57P03", "53300"}) {
    Error e = PgError(state, false, "lines", "terminating connection");
    EXPECT_EQ(e.code, ErrorCode::kUnavailable) << state;
    EXPECT_EQ(e.problem_code, "store_unavailable") << state;
  }
  Error lost = PgError("", true, "lines", "server closed the connection unexpectedly");
  EXPECT_EQ(lost.problem_code, "store_unavailable");
}

TEST(PgErrorTest, DiskFullIsStorageFull) {
  EXPECT_EQ(PgError("53100", false, "lines", "could not extend file").problem_code, "storage_full");
}

TEST(PgErrorTest, AnythingElseIsADatabaseError) {
  Error e = PgError("42P01", false, "lines", "relation does not exist");
  EXPECT_EQ(e.code, ErrorCode::kInternal);
  EXPECT_EQ(e.problem_code, "database_error");
}

TEST(RedactUrlTest, HidesThePasswordInEveryForm) {
  EXPECT_EQ(RedactUrl("postgresql://simexit:s3cret@db1:5432,db2:5432/simexit"
                      "?target_session_attrs=read-write"),
            "postgresql://simexit:***@db1:5432,db2:5432/simexit?target_session_attrs=read-write");
  EXPECT_EQ(RedactUrl("postgres://u@h/db?password=s3cret&sslmode=require"),
            "postgres://u@h/db?password=***&sslmode=require");
  EXPECT_EQ(RedactUrl("host=h user=u password=s3cret dbname=d"),
            "host=h user=u password=*** dbname=d");
  EXPECT_EQ(RedactUrl("postgresql://h/db"), "postgresql://h/db");
}

TEST(ParamsTest, BindsByTypeWithTypedNulls) {
  Params p = Params::Of(std::int64_t{42}, std::string("x"), NullIfZero{0}, NullIfEmpty{""},
                        std::optional<std::int64_t>(), true);
  ASSERT_EQ(p.size(), 6);
  std::vector<const char*> values = p.Pointers();
  EXPECT_STREQ(values[0], "42");
  EXPECT_STREQ(values[1], "x");
  EXPECT_EQ(values[2], nullptr);
  EXPECT_EQ(values[3], nullptr);
  EXPECT_EQ(values[4], nullptr);
  EXPECT_STREQ(values[5], "1");
  EXPECT_EQ(p.types()[0], 20u);  // int8
  EXPECT_EQ(p.types()[1], 25u);  // text
  EXPECT_EQ(p.types()[2], 20u);
  EXPECT_EQ(p.types()[3], 25u);
}

TEST(ParamsTest, DatesBindAsTheirTextAndNoDateAsEmptyText) {
  // The date columns are TEXT NOT NULL with '' meaning none.
  Params p = Params::Of(CivilDate{2026, 3, 2}, std::optional<CivilDate>(CivilDate{1990, 12, 31}),
                        std::optional<CivilDate>());
  ASSERT_EQ(p.size(), 3);
  std::vector<const char*> values = p.Pointers();
  EXPECT_STREQ(values[0], "2026-03-02");
  EXPECT_STREQ(values[1], "1990-12-31");
  ASSERT_NE(values[2], nullptr);
  EXPECT_STREQ(values[2], "");
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(p.types()[i], 25u) << i;  // text
  }
}

}  // namespace
}  // namespace simexit::pg
