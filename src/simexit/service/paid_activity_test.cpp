#include "simexit/service/paid_activity.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simexit/service/operator_service.hpp"
#include "simexit/testing/matchers.hpp"
#include "simexit/testing/service_world.hpp"
#include "simexit/testing/values.hpp"

namespace simexit {
namespace {

using testing::IsError;
using testing::IsOk;

// Two operators, a line at each; kcell's last paid activity 2026-01-01.
class PaidActivityTest : public ::testing::Test {
 protected:
  PaidActivityTest() : operators_(world_.ctx) {
    EXPECT_TRUE(world_.migrated);
    kcell_ = AddOperator("kcell");
    beeline_ = AddOperator("beeline");
    kcell_line_ = AddLine(kcell_, "+77011234567", "0001");
    beeline_line_ = AddLine(beeline_, "+77051234567", "0002");
  }

  std::int64_t AddOperator(const std::string& code) {
    Result<OperatorRecord> op = operators_.CreateOperator(NewOperator{code, code, "ru", {}});
    EXPECT_THAT(op, IsOk());
    return op ? op->id : 0;
  }

  std::int64_t AddLine(std::int64_t operator_id, const std::string& msisdn,
                       const std::string& suffix) {
    Result<std::int64_t> id =
        TransactValue<std::int64_t>(*world_.store, [&](StoreTx& tx) -> Result<std::int64_t> {
          LineRecord line;
          line.operator_id = operator_id;
          line.msisdn = testing::TestMsisdn(msisdn);
          line.iccid = testing::IccidWithCheckDigit("899710100000000" + suffix);
          line.imsi = testing::TestImsi("40101000000" + suffix);
          line.last_paid_activity_at = kJan1;
          return tx.InsertLine(line);
        });
    EXPECT_THAT(id, IsOk());
    return id.value_or(0);
  }

  UnixSeconds ActivityOf(std::int64_t line_id) {
    Result<LineRecord> line =
        TransactValue<LineRecord>(*world_.store, [&](StoreTx& tx) { return tx.GetLine(line_id); });
    EXPECT_THAT(line, IsOk());
    return line ? line->last_paid_activity_at : -1;
  }

  Result<ActivityReport> Record(const std::vector<ActivityRow>& rows, bool skip_bad = false,
                                std::optional<std::int64_t> operator_id = std::nullopt) {
    return RecordPaidActivity(*world_.store, operator_id, rows, skip_bad, world_.clock.Now());
  }

  static constexpr UnixSeconds kJan1 = 1'767'225'600;  // 2026-01-01T00:00:00Z
  testing::ServiceWorld world_;
  OperatorService operators_;
  std::int64_t kcell_ = 0;
  std::int64_t beeline_ = 0;
  std::int64_t kcell_line_ = 0;
  std::int64_t beeline_line_ = 0;
};

TEST_F(PaidActivityTest, MovesActivityForwardOnlyAndIsIdempotent) {
  Result<ActivityReport> first = Record({{"8 701 123 45 67", "2026-02-01T10:00:00+05:00"},
                                         {"+77051234567", "2025-12-31"}});  // older: kept
  ASSERT_THAT(first, IsOk());
  EXPECT_TRUE(first->written);
  EXPECT_EQ(first->updated, 1);
  EXPECT_EQ(first->unchanged, 1);
  EXPECT_TRUE(first->bad.empty());
  EXPECT_EQ(ActivityOf(kcell_line_), kJan1 + 31 * 86'400 + 5 * 3600);
  EXPECT_EQ(ActivityOf(beeline_line_), kJan1);

  Result<ActivityReport> again = Record({{"+77011234567", "2026-02-01T05:00:00Z"}});
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(again->updated, 0);
  EXPECT_EQ(again->unchanged, 1);
}

TEST_F(PaidActivityTest, ReportsEveryBadRowAndWritesNothing) {
  const std::string future = FormatRfc3339(world_.clock.Now() + 60);
  Result<ActivityReport> report = Record({{"+77011234567", "2026-02-01"},
                                          {"12", "2026-02-01"},
                                          {"+77011234567", "2026-02-02"},
                                          {"+77011234567", "yesterday"},
                                          {"+77019999999", "2026-02-01"},
                                          {"+77051234567", future}});
  ASSERT_THAT(report, IsOk());
  EXPECT_FALSE(report->written);
  EXPECT_EQ(report->updated, 0);
  std::vector<std::pair<std::size_t, std::string>> bad;
  for (const ActivityRowProblem& p : report->bad) {
    bad.emplace_back(p.row, p.code);
    EXPECT_FALSE(p.message.empty());
  }
  EXPECT_EQ(bad, (std::vector<std::pair<std::size_t, std::string>>{{1, "invalid_msisdn"},
                                                                   {2, "duplicate_msisdn"},
                                                                   {3, "invalid_time"},
                                                                   {4, "unknown_msisdn"},
                                                                   {5, "future_time"}}));
  EXPECT_EQ(ActivityOf(kcell_line_), kJan1);  // the good row is not written either
}

TEST_F(PaidActivityTest, SkipBadWritesTheGoodRows) {
  Result<ActivityReport> report =
      Record({{"+77019999999", "2026-02-01"}, {"+77011234567", "2026-02-01"}}, true);
  ASSERT_THAT(report, IsOk());
  EXPECT_TRUE(report->written);
  EXPECT_EQ(report->updated, 1);
  ASSERT_EQ(report->bad.size(), 1u);
  EXPECT_EQ(report->bad[0].row, 0u);
  EXPECT_EQ(ActivityOf(kcell_line_), kJan1 + 31 * 86'400);
}

TEST_F(PaidActivityTest, AnotherOperatorsLineIsUnknown) {
  Result<ActivityReport> report = Record({{"+77051234567", "2026-02-01"}}, false, kcell_);
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->bad.size(), 1u);
  EXPECT_EQ(report->bad[0].code, "unknown_msisdn");
  EXPECT_EQ(ActivityOf(beeline_line_), kJan1);
}

TEST_F(PaidActivityTest, RecordActivityIsConfinedAndLimited) {
  const std::vector<ActivityRow> rows = {{"+77011234567", "2026-02-01"}};
  Result<ActivityReport> by_key =
      operators_.RecordActivity(Caller::Operator(kcell_, 1), "kcell", rows);
  ASSERT_THAT(by_key, IsOk());
  EXPECT_EQ(by_key->updated, 1);
  EXPECT_THAT(operators_.RecordActivity(Caller::Operator(beeline_, 2), "kcell", rows),
              IsError(ErrorCode::kNotFound, "operator_not_found"));
  EXPECT_THAT(
      operators_.RecordActivity(Caller::Staff(3, kcell_, StaffRole::kAgentStore), "kcell", rows),
      IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(
      operators_.RecordActivity(Caller::Staff(4, kcell_, StaffRole::kOperatorAdmin), "kcell", rows),
      IsOk());
  EXPECT_THAT(operators_.RecordActivity(Caller::Admin(0), "kcell",
                                        std::vector<ActivityRow>(kMaxActivityRows + 1, rows[0])),
              IsError(ErrorCode::kInvalidArgument, "too_many_activity_rows"));
  EXPECT_THAT(operators_.RecordActivity(Caller::Admin(0), "nope", rows),
              IsError(ErrorCode::kNotFound, "operator_not_found"));
}

}  // namespace
}  // namespace simexit
