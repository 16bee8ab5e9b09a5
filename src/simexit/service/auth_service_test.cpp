// Holders' sign-in by SMS code.

#include "simexit/service/termination_test_fixture.hpp"

namespace simexit {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST_F(TerminationFlowTest, WrongCodesBurnTheCode) {
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  const std::string code = CodeFrom(sms_.sent().back().text);
  const std::string wrong = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 4; ++i) {
    Result<SignedIn> r = auth_.VerifySignInCode(Number("+77011234567"), wrong);
    ASSERT_THAT(r, IsError(ErrorCode::kUnauthenticated, "invalid_code"));
  }
  Result<SignedIn> fifth = auth_.VerifySignInCode(Number("+77011234567"), wrong);
  ASSERT_THAT(fifth, IsError(ErrorCode::kResourceExhausted, "too_many_attempts"));
  Result<SignedIn> right = auth_.VerifySignInCode(Number("+77011234567"), code);
  ASSERT_THAT(right, IsError(ErrorCode::kResourceExhausted, "too_many_attempts"));
}

TEST_F(TerminationFlowTest, CodeExpiresAndIsSingleUse) {
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  const std::string code = CodeFrom(sms_.sent().back().text);
  clock_.Advance(301);
  Result<SignedIn> late = auth_.VerifySignInCode(Number("+77011234567"), code);
  // An expired code is answered exactly like a wrong one.
  ASSERT_THAT(late, IsError(ErrorCode::kUnauthenticated, "invalid_code"));
  Result<SignedIn> wrong =
      auth_.VerifySignInCode(Number("+77011234567"), code == "000000" ? "1" : "0");
  ASSERT_FALSE(wrong);
  EXPECT_EQ(late.error().message, wrong.error().message);

  clock_.Advance(60);
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  const std::string second = CodeFrom(sms_.sent().back().text);
  ASSERT_TRUE(auth_.VerifySignInCode(Number("+77011234567"), second));
  Result<SignedIn> reused = auth_.VerifySignInCode(Number("+77011234567"), second);
  ASSERT_THAT(reused, IsError(ErrorCode::kUnauthenticated, "invalid_code"));
}

TEST_F(TerminationFlowTest, LogoutEndsTheHolderSessionOnTheServer) {
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  Result<SignedIn> session =
      auth_.VerifySignInCode(Number("+77011234567"), CodeFrom(sms_.sent().back().text));
  ASSERT_TRUE(session);
  ASSERT_TRUE(auth_.Authenticate(session->token));
  ASSERT_THAT(auth_.Logout(session->token), IsOk());
  EXPECT_THAT(auth_.Authenticate(session->token),
              IsError(ErrorCode::kUnauthenticated, "unauthenticated"));
  EXPECT_THAT(auth_.Logout(session->token),
              IsError(ErrorCode::kUnauthenticated, "unauthenticated"));
  EXPECT_THAT(auth_.Logout("st_" + std::string(64, '0')),
              IsError(ErrorCode::kUnauthenticated, "unauthenticated"));
  EXPECT_THAT(auth_.Logout("ss_whatever"), IsError(ErrorCode::kUnauthenticated, "unauthenticated"));
  std::vector<AuditRecord> trail =
      TransactValue<std::vector<AuditRecord>>(*store_, [](StoreTx& tx) {
        return tx.ListAudit("+77011234567", 10);
      }).value();
  ASSERT_FALSE(trail.empty());
  EXPECT_EQ(trail.front().action, "holder_logout");
}

TEST_F(TerminationFlowTest, CodesAreRateLimited) {
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  Result<SignInCodeRequested> soon = auth_.RequestSignInCode(Number("+77011234567"));
  ASSERT_THAT(soon, IsError(ErrorCode::kResourceExhausted, "resend_too_soon"));
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(61);
    ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  }
  clock_.Advance(61);
  Result<SignInCodeRequested> sixth = auth_.RequestSignInCode(Number("+77011234567"));
  ASSERT_THAT(sixth, IsError(ErrorCode::kResourceExhausted, "too_many_codes"));
}

TEST_F(TerminationFlowTest, UnknownNumberGetsTheSameAnswerAndNoSms) {
  const std::size_t before = sms_.sent().size();
  Result<SignInCodeRequested> r = auth_.RequestSignInCode(Number("+77771234567"));
  ASSERT_TRUE(r);
  EXPECT_EQ(sms_.sent().size(), before);
  EXPECT_EQ(r->expires_in_seconds, 300);
}

// A number that is not a customer's (unknown, or its line not active) is
// answered like a customer's, under the same limits.
TEST_F(TerminationFlowTest, AnUnknownNumberIsAnsweredLikeACustomersAtEveryStep) {
  const Msisdn customer = Number("+77011234567");
  const Msisdn unknown = Number("+77771234567");
  auto same = [&](const char* step) {
    Result<SignInCodeRequested> a = auth_.RequestSignInCode(customer);
    Result<SignInCodeRequested> b = auth_.RequestSignInCode(unknown);
    ASSERT_EQ(a.has_value(), b.has_value()) << step;
    if (a) {
      EXPECT_EQ(a->expires_in_seconds, b->expires_in_seconds) << step;
      EXPECT_EQ(a->resend_after_seconds, b->resend_after_seconds) << step;
    } else {
      EXPECT_EQ(a.error().code, b.error().code) << step;
      EXPECT_EQ(a.error().problem_code, b.error().problem_code) << step;
      EXPECT_EQ(a.error().message, b.error().message) << step;
    }
  };
  same("first");
  same("again at once");  // resend_too_soon for both
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(61);
    same("within the hour");
  }
  clock_.Advance(61);
  same("sixth in the hour");  // too_many_codes for both

  // Verification: a guess for either number is invalid_code, then burnt.
  clock_.Advance(3600);
  ASSERT_TRUE(auth_.RequestSignInCode(customer));
  ASSERT_TRUE(auth_.RequestSignInCode(unknown));
  const std::string code = CodeFrom(sms_.sent().back().text);
  const std::string guess = code == "000000" ? "111111" : "000000";
  for (int i = 0; i < 5; ++i) {
    Result<SignedIn> a = auth_.VerifySignInCode(customer, guess);
    Result<SignedIn> b = auth_.VerifySignInCode(unknown, guess);
    ASSERT_FALSE(a);
    ASSERT_FALSE(b);
    EXPECT_EQ(a.error().problem_code, b.error().problem_code);
    EXPECT_EQ(a.error().message, b.error().message);
  }
}

TEST_F(TerminationFlowTest, CodeRequestsAreLimitedPerClientWhateverTheNumber) {
  AuthLimits limits;
  limits.codes_per_client_per_hour = 2;
  AuthService auth(ctx_, "", limits);
  const ClientAddress client = *ClientAddress::Parse("192.0.2.7");
  ASSERT_TRUE(auth.RequestSignInCode(Number("+77011234567"), client));
  ASSERT_TRUE(auth.RequestSignInCode(Number("+77771234567"), client));
  EXPECT_THAT(auth.RequestSignInCode(Number("+77011234568"), client),
              IsError(ErrorCode::kResourceExhausted, "too_many_codes"));
  EXPECT_THAT(auth.RequestSignInCode(Number("+77771234568"), client),
              IsError(ErrorCode::kResourceExhausted, "too_many_codes"));
  EXPECT_TRUE(auth.RequestSignInCode(Number("+77011234568"),
                                     *ClientAddress::Parse("192.0.2.8")));  // another client
  clock_.Advance(3600);
  EXPECT_TRUE(auth.RequestSignInCode(Number("+77771234568"), client));
}

TEST_F(TerminationFlowTest, SignInCodeIsRecordedMasked) {
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  const std::string code = CodeFrom(sms_.sent().back().text);
  std::vector<SmsRecord> rows = Outbox(*store_);
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].kind, "sign_in_code");
  EXPECT_EQ(rows[0].state, SmsState::kSubmitted);
  EXPECT_EQ(rows[0].text.find(code), std::string::npos);
  EXPECT_NE(rows[0].text.find("******"), std::string::npos);
}

TEST_F(TerminationFlowTest, EverySignInAttemptIsAudited) {
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  const std::string code = CodeFrom(sms_.sent().back().text);
  EXPECT_FALSE(auth_.RequestSignInCode(Number("+77011234567")));  // cool-down
  EXPECT_FALSE(
      auth_.VerifySignInCode(Number("+77011234567"), code == "000000" ? "111111" : "000000"));
  ASSERT_TRUE(auth_.VerifySignInCode(Number("+77011234567"), code));
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77771234567")));  // unknown number
  std::vector<AuditRecord> trail =
      TransactValue<std::vector<AuditRecord>>(*store_, [](StoreTx& tx) {
        return tx.ListAudit("+77011234567", 10);
      }).value();
  std::vector<std::string> actions;
  for (auto it = trail.rbegin(); it != trail.rend(); ++it) {
    actions.push_back(it->action);
  }
  EXPECT_EQ(actions,
            (std::vector<std::string>{"otp_sent", "otp_refused", "otp_wrong", "otp_verified"}));
  EXPECT_EQ(trail[2].detail, "resend_too_soon");
  for (const AuditRecord& a : trail) {
    EXPECT_EQ(a.detail.find(code), std::string::npos);
  }
  std::vector<AuditRecord> unknown =
      TransactValue<std::vector<AuditRecord>>(*store_, [](StoreTx& tx) {
        return tx.ListAudit("+77771234567", 10);
      }).value();
  ASSERT_EQ(unknown.size(), 1u);
  EXPECT_EQ(unknown[0].action, "otp_not_sent");
}

// The SMS goes out after the answer, for any number: the answer waits for no
// SMSC, so a customer's number is not answered later than an unknown one.
TEST_F(TerminationFlowTest, TheCodeIsSentAfterTheAnswerForAnyNumber) {
  std::vector<std::function<void()>> later;
  ctx_.after_answer = [&](std::function<void()> task) { later.push_back(std::move(task)); };
  auto audit_of = [&](const std::string& number) {
    return TransactValue<std::vector<AuditRecord>>(
               *store_, [&](StoreTx& tx) { return tx.ListAudit(number, 10); })
        .value();
  };
  const std::size_t before = sms_.sent().size();
  {
    RequestIdScope request("req-after-answer");
    ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));  // a customer's
    ASSERT_TRUE(auth_.RequestSignInCode(Number("+77771234567")));  // unknown
  }
  EXPECT_EQ(sms_.sent().size(), before);
  EXPECT_TRUE(audit_of("+77011234567").empty());
  EXPECT_TRUE(audit_of("+77771234567").empty());
  ASSERT_EQ(later.size(), 2u);

  for (std::function<void()>& task : later) {
    task();
  }
  ASSERT_EQ(sms_.sent().size(), before + 1);
  EXPECT_EQ(sms_.sent().back().recipient, "+77011234567");
  EXPECT_EQ(audit_of("+77011234567").at(0).action, "otp_sent");
  EXPECT_EQ(audit_of("+77771234567").at(0).action, "otp_not_sent");
  // Done on another thread later, yet recorded as part of the request.
  EXPECT_EQ(audit_of("+77011234567").at(0).request_id, "req-after-answer");
  EXPECT_EQ(audit_of("+77771234567").at(0).request_id, "req-after-answer");
  // The code sent after the answer is the one the answer's challenge holds.
  EXPECT_TRUE(auth_.VerifySignInCode(Number("+77011234567"), CodeFrom(sms_.sent().back().text)));
  ctx_.after_answer = nullptr;
}

TEST_F(TerminationFlowTest, CodesAreStoredOnlyHashed) {
  ASSERT_TRUE(auth_.RequestSignInCode(Number("+77011234567")));
  const std::string code = CodeFrom(sms_.sent().back().text);
  std::optional<SignInCodeRecord> challenge =
      TransactValue<std::optional<SignInCodeRecord>>(*store_, [](StoreTx& tx) {
        return tx.LatestSignInCode(Number("+77011234567"));
      }).value();
  ASSERT_TRUE(challenge);
  EXPECT_EQ(challenge->code_hash.find(code), std::string::npos);
  EXPECT_EQ(challenge->code_hash.size(), 64u);
}

}  // namespace
}  // namespace simexit
