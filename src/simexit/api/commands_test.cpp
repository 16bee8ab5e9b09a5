#include "simexit/api/commands.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "simexit/testing/matchers.hpp"

namespace simexit::api {
namespace {

using ::simexit::testing::IsError;
using ::simexit::testing::IsOk;

TEST(CommandsTest, LoginDecodesBothFields) {
  Result<LoginCommand> login =
      DecodeBody<LoginCommand>(R"({"username":"aigerim","password":"secret words"})");
  ASSERT_THAT(login, IsOk());
  EXPECT_EQ(login->username, "aigerim");
  EXPECT_EQ(login->password, "secret words");
}

TEST(CommandsTest, FailuresNameTheField) {
  Result<LoginCommand> missing = DecodeBody<LoginCommand>(R"({"username":"aigerim"})");
  EXPECT_THAT(missing, IsError(ErrorCode::kInvalidArgument, "invalid_field"));
  EXPECT_EQ(missing.error().field, "password");

  Result<LoginCommand> typed = DecodeBody<LoginCommand>(R"({"username":7,"password":"x"})");
  EXPECT_THAT(typed, IsError(ErrorCode::kInvalidArgument, "invalid_field"));
  EXPECT_EQ(typed.error().field, "username");

  Result<LoginCommand> unknown =
      DecodeBody<LoginCommand>(R"({"username":"a","password":"b","otp":"1"})");
  EXPECT_THAT(unknown, IsError(ErrorCode::kInvalidArgument, "unknown_field"));
  EXPECT_EQ(unknown.error().field, "otp");
}

TEST(CommandsTest, ActivityKeepsUnreadableRowsToNameThemAll) {
  Result<ActivityCommand> command = DecodeBody<ActivityCommand>(
      R"({"activity":[{"msisdn":"+77011234567","last_paid_activity_at":"2026-11-30"},)"
      R"({"msisdn":"+77011234568"},)"
      R"({"msisdn":"+77011234569","last_paid_activity_at":"2026-11-30","extra":1},)"
      R"({"msisdn":7,"last_paid_activity_at":"2026-11-30"},"x"]})");
  ASSERT_THAT(command, IsOk());
  ASSERT_EQ(command->activity.size(), 5u);
  EXPECT_EQ(command->activity[0].msisdn, "+77011234567");
  EXPECT_EQ(command->activity[0].last_paid_activity_at, "2026-11-30");
  EXPECT_TRUE(command->activity[0].unreadable.empty());
  for (std::size_t i = 1; i < 5; ++i) {
    EXPECT_FALSE(command->activity[i].unreadable.empty()) << i;
  }
  Result<ActivityCommand> not_array = DecodeBody<ActivityCommand>(R"({"activity":{}})");
  EXPECT_THAT(not_array, IsError(ErrorCode::kInvalidArgument, "invalid_field"));
  EXPECT_EQ(not_array.error().field, "activity");
  EXPECT_THAT(DecodeBody<ActivityCommand>("{}"),
              IsError(ErrorCode::kInvalidArgument, "invalid_field"));
  EXPECT_THAT(DecodeBody<ActivityCommand>(R"({"activity":[],"skip_bad":true})"),
              IsError(ErrorCode::kInvalidArgument, "unknown_field"));
}

TEST(CommandsTest, MalformedBodies) {
  EXPECT_THAT(DecodeBody<LoginCommand>("{"),
              IsError(ErrorCode::kInvalidArgument, "malformed_json"));
  EXPECT_THAT(DecodeBody<LoginCommand>("[]"),
              IsError(ErrorCode::kInvalidArgument, "malformed_json"));
  EXPECT_THAT(DecodeBody<LoginCommand>(""), IsError(ErrorCode::kInvalidArgument, "malformed_json"));
  EXPECT_THAT(DecodeBody<Policy>(""), IsError(ErrorCode::kInvalidArgument, "malformed_json"));
}

TEST(CommandsTest, OptionalBodiesMayBeEmpty) {
  EXPECT_THAT(DecodeBody<EmptyCommand>(""), IsOk());
  EXPECT_THAT(DecodeBody<EmptyCommand>("{}"), IsOk());
  EXPECT_THAT(DecodeBody<EmptyCommand>(R"({"why":"x"})"),
              IsError(ErrorCode::kInvalidArgument, "unknown_field"));

  Result<ResetPasswordCommand> generate = DecodeBody<ResetPasswordCommand>("");
  ASSERT_THAT(generate, IsOk());
  EXPECT_FALSE(generate->password);
  Result<ResetPasswordCommand> chosen =
      DecodeBody<ResetPasswordCommand>(R"({"password":"twelve chars ok"})");
  ASSERT_THAT(chosen, IsOk());
  EXPECT_EQ(chosen->password, "twelve chars ok");

  Result<CreateApiKeyCommand> key = DecodeBody<CreateApiKeyCommand>(R"({"label":"crm"})");
  ASSERT_THAT(key, IsOk());
  EXPECT_EQ(key->label, "crm");
  EXPECT_EQ(DecodeBody<CreateApiKeyCommand>("")->label, "");
}

TEST(CommandsTest, NewStaffHasATypedRole) {
  Result<NewStaff> staff = DecodeBody<NewStaff>(
      R"({"username":"aigerim","full_name":"Aigerim B","role":"back_office"})");
  ASSERT_THAT(staff, IsOk());
  EXPECT_EQ(staff->role, StaffRole::kBackOffice);
  EXPECT_FALSE(staff->password);

  Result<NewStaff> boss =
      DecodeBody<NewStaff>(R"({"username":"aigerim","full_name":"Aigerim B","role":"boss"})");
  EXPECT_THAT(boss, IsError(ErrorCode::kInvalidArgument, "invalid_staff"));
  EXPECT_EQ(boss.error().field, "role");
}

TEST(CommandsTest, NewOperatorDefaultsLanguageAndPolicy) {
  Result<NewOperator> op = DecodeBody<NewOperator>(R"({"code":"tele2","name":"Tele2"})");
  ASSERT_THAT(op, IsOk());
  EXPECT_EQ(op->code, "tele2");
  EXPECT_EQ(op->default_language, "ru");

  Result<NewOperator> kk =
      DecodeBody<NewOperator>(R"({"code":"tele2","name":"Tele2","default_language":"kk"})");
  ASSERT_THAT(kk, IsOk());
  EXPECT_EQ(kk->default_language, "kk");

  EXPECT_THAT(DecodeBody<NewOperator>(R"({"code":"tele2","name":"Tele2","policy":[]})"),
              IsError(ErrorCode::kInvalidArgument, "invalid_policy"));
}

TEST(CommandsTest, APolicyInsideANewOperatorIsRefusedAsOnItsOwn) {
  const std::string policy = R"({"otp":{"length":2}})";
  Result<Policy> alone = DecodeBody<Policy>(policy);
  Result<NewOperator> inside =
      DecodeBody<NewOperator>(R"({"code":"tele2","name":"Tele2","policy":)" + policy + "}");
  ASSERT_THAT(alone, IsError(ErrorCode::kInvalidArgument, "invalid_policy"));
  ASSERT_THAT(inside, IsError(ErrorCode::kInvalidArgument, "invalid_policy"));
  EXPECT_EQ(inside.error().field, alone.error().field);
  EXPECT_EQ(inside.error().message, alone.error().message);
  // Any JSON reaches the policy decoder, which says what it expected.
  EXPECT_THAT(DecodeBody<Policy>("[]"), IsError(ErrorCode::kInvalidArgument, "invalid_policy"));
}

TEST(CommandsTest, NewStaffNeedsEveryRequiredMemberInOrder) {
  Result<NewStaff> no_role = DecodeBody<NewStaff>(R"({"username":"a","full_name":"A B"})");
  EXPECT_THAT(no_role, IsError(ErrorCode::kInvalidArgument, "invalid_field"));
  EXPECT_EQ(no_role.error().field, "role");
  EXPECT_EQ(no_role.error().message, "field 'role' is required");
  Result<NewStaff> typed = DecodeBody<NewStaff>(R"({"username":"a","full_name":3,"role":7})");
  EXPECT_EQ(typed.error().field, "full_name");
  EXPECT_EQ(typed.error().message, "field 'full_name' must be a string");
}

}  // namespace
}  // namespace simexit::api
