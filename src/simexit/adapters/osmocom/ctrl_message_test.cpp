#include "simexit/adapters/osmocom/ctrl_message.hpp"

#include <gtest/gtest.h>

namespace simexit::osmo {
namespace {

TEST(FormatCtrlRequest, FormatsGetAndSet) {
  EXPECT_EQ(*FormatCtrlRequest(CtrlVerb::kGet, 3, "subscriber.by-imsi-901700000000001.info"),
            "GET 3 subscriber.by-imsi-901700000000001.info");
  EXPECT_EQ(*FormatCtrlRequest(CtrlVerb::kSet, 12, "subscriber.delete", "901700000000001"),
            "SET 12 subscriber.delete 901700000000001");
  EXPECT_EQ(*FormatCtrlRequest(CtrlVerb::kSet, 2, "x.msisdn", ""), "SET 2 x.msisdn ");
}

TEST(FormatCtrlRequest, RefusesVariablesThatWouldSplitTheLine) {
  for (const char* variable : {"", "a b", "a\nb", "a\tb"}) {
    auto text = FormatCtrlRequest(CtrlVerb::kGet, 1, variable);
    ASSERT_FALSE(text.has_value()) << variable;
    EXPECT_EQ(text.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(text.error().problem_code, "ctrl_bad_request");
  }
  auto value = FormatCtrlRequest(CtrlVerb::kSet, 1, "v", "1\nSET 2 subscriber.delete 1");
  ASSERT_FALSE(value.has_value());
  EXPECT_EQ(value.error().problem_code, "ctrl_bad_request");
}

TEST(ParseCtrlReply, ParsesSetReply) {
  auto reply = ParseCtrlReply("SET_REPLY 1 subscriber.create 1");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->kind, CtrlReply::Kind::kSetReply);
  EXPECT_EQ(reply->id, "1");
  EXPECT_EQ(reply->variable, "subscriber.create");
  EXPECT_EQ(reply->value, "1");
}

TEST(ParseCtrlReply, KeepsAMultiLineValueThatStartsWithANewline) {
  auto reply = ParseCtrlReply(
      "GET_REPLY 3 subscriber.by-imsi-901700000000001.info \nid\t1\nimsi\t901700000000001");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->kind, CtrlReply::Kind::kGetReply);
  EXPECT_EQ(reply->id, "3");
  EXPECT_EQ(reply->variable, "subscriber.by-imsi-901700000000001.info");
  EXPECT_EQ(reply->value, "\nid\t1\nimsi\t901700000000001");
}

TEST(ParseCtrlReply, AcceptsEmptyAndAbsentValues) {
  auto empty = ParseCtrlReply("SET_REPLY 2 subscriber-expire ");
  ASSERT_TRUE(empty.has_value());
  EXPECT_EQ(empty->variable, "subscriber-expire");
  EXPECT_EQ(empty->value, "");
  auto absent = ParseCtrlReply("SET_REPLY 2 subscriber-expire");
  ASSERT_TRUE(absent.has_value());
  EXPECT_EQ(absent->variable, "subscriber-expire");
  EXPECT_EQ(absent->value, "");
}

TEST(ParseCtrlReply, ParsesErrorText) {
  auto reply = ParseCtrlReply("ERROR 13 No such subscriber.");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->kind, CtrlReply::Kind::kError);
  EXPECT_EQ(reply->id, "13");
  EXPECT_EQ(reply->variable, "");
  EXPECT_EQ(reply->value, "No such subscriber.");
}

TEST(ParseCtrlReply, ParsesTrap) {
  auto reply = ParseCtrlReply("TRAP 0 bts.0.location 1,2");
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->kind, CtrlReply::Kind::kTrap);
}

TEST(ParseCtrlReply, RejectsMalformedMessages) {
  for (const char* text : {"", "HELLO 1 x", "GET_REPLY", "GET_REPLY 1", "ERROR", "SET_REPLY  x"}) {
    auto reply = ParseCtrlReply(text);
    ASSERT_FALSE(reply.has_value()) << '"' << text << '"';
    EXPECT_EQ(reply.error().problem_code, "ctrl_bad_reply") << text;
  }
}

TEST(ParseInfoValue, ParsesTheLabCapture) {
  auto fields = ParseInfoValue(
      "\nid\t1\nimsi\t901700000000001\nmsisdn\t4915112345678\nnam_cs\t1\nnam_ps\t0"
      "\nms_purged_cs\t0\nlmsi\t00000000");
  EXPECT_EQ(fields.size(), 7u);
  EXPECT_EQ(fields["imsi"], "901700000000001");
  EXPECT_EQ(fields["msisdn"], "4915112345678");
  EXPECT_EQ(fields["nam_cs"], "1");
  EXPECT_EQ(fields["nam_ps"], "0");
  EXPECT_EQ(fields["lmsi"], "00000000");
}

TEST(ParseInfoValue, IgnoresLinesWithoutATabAndKeepsEmptyValues) {
  auto fields = ParseInfoValue("garbage\n\tnokey\nvlr_number\t\nid\t2\r\n");
  EXPECT_EQ(fields.size(), 2u);
  EXPECT_EQ(fields["vlr_number"], "");
  EXPECT_EQ(fields["id"], "2");
}

struct MappingCase {
  const char* text;
  ErrorCode code;
  const char* reason;
};

TEST(MapHlrError, MapsEveryKnownOsmoHlrText) {
  const MappingCase cases[] = {
      {"No such subscriber.", ErrorCode::kNotFound, "hlr_unknown_subscriber"},
      {"Subscriber doesn't exist.", ErrorCode::kNotFound, "hlr_unknown_subscriber"},
      {"Subscriber already exists.", ErrorCode::kAlreadyExists, "hlr_subscriber_exists"},
      {"Invalid IMSI value.", ErrorCode::kInvalidArgument, "hlr_rejected"},
      {"Value failed verification.", ErrorCode::kInvalidArgument, "hlr_rejected"},
      {"Invalid value part of 'by-xxx-value' selector.", ErrorCode::kInvalidArgument,
       "hlr_rejected"},
      {"An error has occurred.", ErrorCode::kInternal, "hlr_error"},
      {"Update MSISDN failed", ErrorCode::kInternal, "hlr_error"},
      {"Not a known subscriber 'by-xxx-' selector.", ErrorCode::kInternal, "hlr_error"},
      {"no such subscriber.", ErrorCode::kInternal, "hlr_error"},  // exact match only
  };
  for (const auto& c : cases) {
    const Error error = MapHlrError(c.text);
    EXPECT_EQ(error.code, c.code) << c.text;
    EXPECT_EQ(error.problem_code, c.reason) << c.text;
    EXPECT_EQ(error.message, std::string("osmo-hlr: ") + c.text);
  }
}

}  // namespace
}  // namespace simexit::osmo
