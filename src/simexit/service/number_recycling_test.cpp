// Number recycling checks: the answer from a number's history, the clients,
// the audit record of every answer, the rate, and the minimum quarantine.

#include "simexit/service/number_recycling.hpp"

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

constexpr UnixSeconds kDay = 86400;

TEST(AnswerForTest, FollowsTheNumbersHistory) {
  const UnixSeconds known = 1'700'000'000 + 5000;  // during the day 1'699'920'000 + ...
  const UnixSeconds known_day = known - known % kDay;
  NumberHistory held{7, LineStatus::kActive, known, std::nullopt};
  EXPECT_EQ(AnswerFor(std::nullopt, 7, known_day), RecyclingAnswer::kNotFound);
  EXPECT_EQ(AnswerFor(held, 8, known_day), RecyclingAnswer::kNotFound);  // another operator's
  EXPECT_EQ(AnswerFor(held, 7, known_day), RecyclingAnswer::kNotRecycled);
  EXPECT_EQ(AnswerFor(held, 7, known_day + 30 * kDay), RecyclingAnswer::kNotRecycled);
  EXPECT_EQ(AnswerFor(held, 7, known_day - kDay), RecyclingAnswer::kNoData);

  NumberHistory barred = held;
  barred.status = LineStatus::kBarred;
  EXPECT_EQ(AnswerFor(barred, 7, known_day), RecyclingAnswer::kNotRecycled);

  // Disconnected on day D: the subscriber of day D is gone.
  NumberHistory closed = held;
  closed.status = LineStatus::kQuarantined;
  closed.last_disconnected_at = known_day + 10 * kDay + 3600;
  EXPECT_EQ(AnswerFor(closed, 7, known_day + 10 * kDay), RecyclingAnswer::kRecycled);
  EXPECT_EQ(AnswerFor(closed, 7, known_day), RecyclingAnswer::kRecycled);
  // After the disconnection nobody holds it: no contract on that day either.
  EXPECT_EQ(AnswerFor(closed, 7, known_day + 20 * kDay), RecyclingAnswer::kRecycled);
  for (LineStatus status : {LineStatus::kTerminated, LineStatus::kAvailable}) {
    closed.status = status;
    EXPECT_EQ(AnswerFor(closed, 7, known_day + 20 * kDay), RecyclingAnswer::kRecycled);
  }
  // Held again (by a later subscriber) after a disconnection before D.
  closed.status = LineStatus::kActive;
  EXPECT_EQ(AnswerFor(closed, 7, known_day + 11 * kDay), RecyclingAnswer::kNotRecycled);
  EXPECT_EQ(AnswerFor(closed, 7, known_day + 10 * kDay), RecyclingAnswer::kRecycled);
}

class NumberRecyclingTest : public TerminationFlowTest {
 protected:
  NumberRecyclingTest() : recycling_(ctx_, NumberRecyclingLimits{1, 1000}) {}

  NumberRecyclingClientRecord NewClient(const std::string& op,
                                        std::vector<std::string> scopes = {
                                            std::string(kNumberRecyclingCheckScope)}) {
    Result<CreatedRecyclingClient> created = recycling_.CreateClient(
        Caller::Staff(1, op == "kcell" ? kcell_id_ : beeline_id_, StaffRole::kOperatorAdmin),
        NewRecyclingClient{op, "Bank", std::move(scopes)});
    EXPECT_TRUE(created) << created.error().message;
    Result<NumberRecyclingClientRecord> client = recycling_.Authenticate(created->key);
    EXPECT_TRUE(client) << client.error().message;
    return *client;
  }

  static CivilDate Day(const std::string& text) { return *ParseIsoDate(text); }

  Result<std::vector<RecyclingAnswer>> Ask(const NumberRecyclingClientRecord& client,
                                           std::vector<std::string> numbers,
                                           const std::string& date) {
    return recycling_.Check(client, RecyclingCheck{std::move(numbers), Day(date), "corr-1"});
  }

  std::vector<NumberRecyclingCheckRecord> Checks(std::int64_t client) {
    return recycling_.ListChecks(Caller::System("test"), client, 5000).value();
  }

  NumberRecyclingService recycling_;
};

TEST_F(NumberRecyclingTest, AnswersFromHistoryAndRecordsEveryAnswer) {
  NumberRecyclingClientRecord bank = NewClient("kcell");
  const std::string today = FormatDate(clock_.Now());
  const std::string yesterday = FormatDate(clock_.Now() - kDay);
  Result<std::vector<RecyclingAnswer>> answers =
      Ask(bank, {"+77011234567", "+77051234567", "+4915112345678"}, today);
  ASSERT_THAT(answers, IsOk());
  EXPECT_EQ(*answers,
            (std::vector<RecyclingAnswer>{RecyclingAnswer::kNotRecycled, RecyclingAnswer::kNotFound,
                                          RecyclingAnswer::kNotFound}));
  EXPECT_EQ(Ask(bank, {"+77011234567"}, yesterday).value(),
            std::vector<RecyclingAnswer>{RecyclingAnswer::kNoData});

  // The holder closes the line: asked about today, the number changed hands.
  Caller holder = SignIn("+77011234567");
  ASSERT_TRUE(terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt));
  RunJobs();
  clock_.Advance(kDay);
  EXPECT_EQ(Ask(bank, {"+77011234567"}, today).value(),
            std::vector<RecyclingAnswer>{RecyclingAnswer::kRecycled});

  std::vector<NumberRecyclingCheckRecord> checks = Checks(bank.id);
  ASSERT_EQ(checks.size(), 5u);
  EXPECT_EQ(checks[0].msisdn, "+77011234567");
  EXPECT_EQ(checks[0].specified_date.ToString(), today);
  EXPECT_EQ(checks[0].answer, RecyclingAnswer::kRecycled);
  EXPECT_EQ(checks[0].correlator, "corr-1");
  EXPECT_EQ(checks[1].answer, RecyclingAnswer::kNoData);
  EXPECT_EQ(checks[4].answer, RecyclingAnswer::kNotRecycled);
}

TEST_F(NumberRecyclingTest, RefusalsRecordNothing) {
  NumberRecyclingClientRecord scopeless = NewClient("kcell", {});
  EXPECT_THAT(Ask(scopeless, {"+77011234567"}, FormatDate(clock_.Now())),
              IsError(ErrorCode::kPermissionDenied, "recycling_scope_missing"));
  NumberRecyclingClientRecord bank = NewClient("kcell");
  EXPECT_THAT(Ask(bank, {"+77011234567"}, FormatDate(clock_.Now() + kDay)),
              IsError(ErrorCode::kInvalidArgument, "recycling_date_in_future"));
  EXPECT_TRUE(Checks(scopeless.id).empty());
  EXPECT_TRUE(Checks(bank.id).empty());
}

TEST_F(NumberRecyclingTest, EachClientHasItsOwnRateCountingEveryNumber) {
  NumberRecyclingClientRecord bank = NewClient("kcell");
  NumberRecyclingClientRecord other = NewClient("kcell");
  const std::string today = FormatDate(clock_.Now());
  // The burst (1000) is one full batch; the next number waits for a token.
  ASSERT_THAT(Ask(bank, std::vector<std::string>(1000, "+77011234567"), today), IsOk());
  std::chrono::seconds retry_after{0};
  EXPECT_THAT(
      recycling_.Check(bank, RecyclingCheck{{"+77011234567"}, Day(today), ""}, &retry_after),
      IsError(ErrorCode::kResourceExhausted, "recycling_rate_limited"));
  EXPECT_GE(retry_after.count(), 1);
  EXPECT_THAT(Ask(other, {"+77011234567"}, today), IsOk());
  EXPECT_EQ(Checks(bank.id).size(), 1000u);
}

TEST_F(NumberRecyclingTest, ClientsAreConfinedToTheirOperator) {
  const Caller kcell_admin = Caller::Staff(1, kcell_id_, StaffRole::kOperatorAdmin);
  const Caller beeline_admin = Caller::Staff(2, beeline_id_, StaffRole::kOperatorAdmin);
  EXPECT_THAT(recycling_.CreateClient(Caller::Staff(3, kcell_id_, StaffRole::kBackOffice),
                                      NewRecyclingClient{"kcell", "Bank"}),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(
      recycling_.CreateClient(Caller::Operator(kcell_id_, 1), NewRecyclingClient{"kcell", "Bank"}),
      IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
  EXPECT_THAT(recycling_.CreateClient(beeline_admin, NewRecyclingClient{"kcell", "Bank"}),
              IsError(ErrorCode::kNotFound, "operator_not_found"));
  EXPECT_THAT(recycling_.CreateClient(kcell_admin, NewRecyclingClient{"kcell", ""}),
              IsError(ErrorCode::kInvalidArgument, "invalid_recycling_client"));
  EXPECT_THAT(recycling_.CreateClient(kcell_admin, NewRecyclingClient{"kcell", "Bank", {"x"}}),
              IsError(ErrorCode::kInvalidArgument, "invalid_recycling_client"));

  NumberRecyclingClientRecord bank = NewClient("kcell");
  EXPECT_EQ(recycling_.ListClients(kcell_admin, "").value().size(), 1u);
  EXPECT_TRUE(recycling_.ListClients(beeline_admin, "").value().empty());
  EXPECT_THAT(recycling_.RevokeClient(beeline_admin, bank.id),
              IsError(ErrorCode::kNotFound, "recycling_client_not_found"));
  EXPECT_THAT(recycling_.ListChecks(beeline_admin, bank.id, 10),
              IsError(ErrorCode::kNotFound, "recycling_client_not_found"));

  // A beeline client asking about a kcell number learns nothing about it.
  NumberRecyclingClientRecord beeline_bank = NewClient("beeline");
  EXPECT_EQ(Ask(beeline_bank, {"+77011234567"}, FormatDate(clock_.Now())).value(),
            std::vector<RecyclingAnswer>{RecyclingAnswer::kNotFound});
}

TEST_F(NumberRecyclingTest, RevokedKeysNoLongerAuthenticate) {
  Result<CreatedRecyclingClient> created =
      recycling_.CreateClient(Caller::Admin(0), NewRecyclingClient{"kcell", "Messenger"});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->key.rfind("nrc_kcell_", 0), 0u);
  ASSERT_THAT(recycling_.Authenticate(created->key), IsOk());
  ASSERT_THAT(recycling_.RevokeClient(Caller::Admin(0), created->client.id), IsOk());
  EXPECT_THAT(recycling_.Authenticate(created->key),
              IsError(ErrorCode::kUnauthenticated, "unauthenticated"));
  EXPECT_THAT(recycling_.Authenticate("sk_admin_test"),
              IsError(ErrorCode::kUnauthenticated, "unauthenticated"));
}

TEST_F(NumberRecyclingTest, DisconnectionsAreTheCallersOperators) {
  Caller holder = SignIn("+77011234567");
  ASSERT_TRUE(terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt));
  RunJobs();
  const UnixSeconds since = clock_.Now() - kDay;
  std::vector<DisconnectionView> all = recycling_.Disconnections(Caller::Admin(0), since).value();
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].msisdn, "+77011234567");
  EXPECT_EQ(all[0].operator_code, "kcell");
  EXPECT_TRUE(
      recycling_.Disconnections(Caller::Staff(2, beeline_id_, StaffRole::kOperatorAdmin), since)
          .value()
          .empty());
  EXPECT_TRUE(recycling_.Disconnections(Caller::Admin(0), clock_.Now() + kDay).value().empty());
  EXPECT_THAT(recycling_.Disconnections(Caller::Operator(kcell_id_, 1), since),
              IsError(ErrorCode::kPermissionDenied, "insufficient_role"));
}

TEST_F(TerminationFlowTest, QuarantineIsNeverShorterThanTheMinimum) {
  ctx_.minimum_quarantine_days = 120;  // kcell's policy says 90: the minimum wins
  Caller holder = SignIn("+77011234567");
  ASSERT_TRUE(terminations_.Create(holder, OnlineRequest("+77011234567"), std::nullopt));
  RunJobs();
  LineRecord line = LineOf("+77011234567");
  ASSERT_EQ(line.status, LineStatus::kQuarantined);
  ASSERT_TRUE(line.quarantine_until.has_value());
  EXPECT_EQ(*line.quarantine_until, clock_.Now() + 120 * kDay);
}

}  // namespace
}  // namespace simexit
