#include "simexit/adapters/osmocom/ipa_frame.hpp"

#include <gtest/gtest.h>

#include <string>

namespace simexit::osmo {
namespace {

using namespace std::string_literals;

// From the lab capture in docs/hlr.md: "SET 1 subscriber.create 901700000000001".
const std::string kCreateText = "SET 1 subscriber.create 901700000000001";
const std::string kCreateFrame = "\x00\x28\xee\x00"s + kCreateText;

IpaFrame Ctrl(std::string text) { return IpaFrame{IpaFrame::Kind::kCtrl, std::move(text)}; }

TEST(IpaFrame, EncodesCtrlTextWithLengthProtoAndExtension) {
  auto frame = EncodeCtrlFrame(kCreateText);
  ASSERT_TRUE(frame.has_value());
  EXPECT_EQ(*frame, kCreateFrame);
  EXPECT_EQ(kCreateText.size(), 0x27u);  // len 0x28 = 1 + text length
}

TEST(IpaFrame, EncodesEmptyTextAndTheLargestText) {
  EXPECT_EQ(*EncodeCtrlFrame(""), "\x00\x01\xee\x00"s);
  auto largest = EncodeCtrlFrame(std::string(kIpaMaxCtrlText, 'x'));
  ASSERT_TRUE(largest.has_value());
  EXPECT_EQ(largest->substr(0, 4), "\xff\xff\xee\x00"s);
  EXPECT_EQ(largest->size(), 3 + kIpaMaxPayload);
}

TEST(IpaFrame, RefusesOversizeText) {
  auto frame = EncodeCtrlFrame(std::string(kIpaMaxCtrlText + 1, 'x'));
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(frame.error().problem_code, "ipa_oversize");
}

TEST(IpaFrame, EncodesCcmPong) { EXPECT_EQ(EncodeCcmFrame(kIpaCcmPong), "\x00\x01\xfe\x01"s); }

TEST(IpaDecoder, DecodesOneFrame) {
  IpaDecoder decoder;
  decoder.Append(kCreateFrame);
  auto frame = decoder.Next();
  ASSERT_TRUE(frame.has_value());
  ASSERT_TRUE(frame->has_value());
  EXPECT_EQ(**frame, Ctrl(kCreateText));
  auto none = decoder.Next();
  ASSERT_TRUE(none.has_value());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(decoder.buffered(), 0u);
}

TEST(IpaDecoder, WaitsForPartialFramesByteByByte) {
  IpaDecoder decoder;
  for (std::size_t i = 0; i + 1 < kCreateFrame.size(); ++i) {
    decoder.Append(kCreateFrame.substr(i, 1));
    auto frame = decoder.Next();
    ASSERT_TRUE(frame.has_value()) << "after byte " << i;
    ASSERT_FALSE(frame->has_value()) << "after byte " << i;
  }
  decoder.Append(kCreateFrame.substr(kCreateFrame.size() - 1));
  auto frame = decoder.Next();
  ASSERT_TRUE(frame.has_value());
  ASSERT_TRUE(frame->has_value());
  EXPECT_EQ(**frame, Ctrl(kCreateText));
}

TEST(IpaDecoder, SplitsConcatenatedFramesAndKeepsTheRemainder) {
  const std::string second = "\x00\x1d\xee\x00"s + "ERROR 13 No such subscriber.";
  const std::string third = "\x00\x20\xee\x00"s + "SET_REPLY 1 subscriber.create 1";
  IpaDecoder decoder;
  decoder.Append(kCreateFrame + second + third.substr(0, 10));
  auto a = decoder.Next();
  auto b = decoder.Next();
  auto c = decoder.Next();
  ASSERT_TRUE(a && b && c);
  ASSERT_TRUE(a->has_value() && b->has_value());
  EXPECT_EQ(**a, Ctrl(kCreateText));
  EXPECT_EQ(**b, Ctrl("ERROR 13 No such subscriber."));
  EXPECT_FALSE(c->has_value());
  EXPECT_EQ(decoder.buffered(), 10u);
  decoder.Append(third.substr(10));
  auto d = decoder.Next();
  ASSERT_TRUE(d && d->has_value());
  EXPECT_EQ(**d, Ctrl("SET_REPLY 1 subscriber.create 1"));
}

TEST(IpaDecoder, KeepsBinaryAndNewlinesInTheText) {
  const std::string text = "GET_REPLY 3 v \nid\t1\nimsi\t901700000000001";
  IpaDecoder decoder;
  decoder.Append(*EncodeCtrlFrame(text));
  auto frame = decoder.Next();
  ASSERT_TRUE(frame && frame->has_value());
  EXPECT_EQ((*frame)->payload, text);
}

TEST(IpaDecoder, PassesCcmFramesThrough) {
  IpaDecoder decoder;
  decoder.Append("\x00\x01\xfe\x00"s);
  auto frame = decoder.Next();
  ASSERT_TRUE(frame && frame->has_value());
  EXPECT_EQ((*frame)->kind, IpaFrame::Kind::kCcm);
  EXPECT_EQ((*frame)->payload, "\x00"s);
}

TEST(IpaDecoder, RejectsABadProtoByteAndStaysFailed) {
  IpaDecoder decoder;
  decoder.Append(
      "\x00\x05\x0f\x00"
      "abcd"s +
      kCreateFrame);
  auto frame = decoder.Next();
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(frame.error().problem_code, "ipa_bad_proto");
  auto again = decoder.Next();
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().problem_code, "ipa_bad_proto");
}

TEST(IpaDecoder, RejectsAnUnknownOsmoExtension) {
  IpaDecoder decoder;
  decoder.Append("\x00\x02\xee\x05x"s);
  auto frame = decoder.Next();
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().problem_code, "ipa_bad_ext");
}

TEST(IpaDecoder, RejectsAnEmptyPayload) {
  IpaDecoder decoder;
  decoder.Append("\x00\x00\xee"s);
  auto frame = decoder.Next();
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().problem_code, "ipa_bad_frame");
}

TEST(IpaDecoder, RejectsOversizeFramesFromTheHeaderAlone) {
  IpaDecoder decoder(100);
  decoder.Append("\x00\x65\xee"s);  // announces 101 bytes; none of them has arrived
  auto frame = decoder.Next();
  ASSERT_FALSE(frame.has_value());
  EXPECT_EQ(frame.error().code, ErrorCode::kInvalidArgument);
  EXPECT_EQ(frame.error().problem_code, "ipa_oversize");
}

TEST(IpaDecoder, AcceptsAFrameExactlyAtTheLimit) {
  IpaDecoder decoder(100);
  decoder.Append(*EncodeCtrlFrame(std::string(99, 'y')));
  auto frame = decoder.Next();
  ASSERT_TRUE(frame && frame->has_value());
  EXPECT_EQ((*frame)->payload, std::string(99, 'y'));
}

}  // namespace
}  // namespace simexit::osmo
