#include "simexit/adapters/smpp/gsm_encoding.hpp"

#include <gtest/gtest.h>

#include <string>

#include "simexit/testing/test_bytes.hpp"

namespace simexit::smpp {
namespace {

using testing::Cat;
using testing::Hex;
using testing::Repeat;

std::string RepeatText(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) {
    out += s;
  }
  return out;
}

TEST(EncodeText, PlainAsciiIsGsm7SeptetValues) {
  auto t = EncodeText("Your OTP is 123456");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->coding, DataCoding::kGsm7);
  EXPECT_EQ(t->units, testing::Str("Your OTP is 123456"));
  EXPECT_EQ(t->length_units, 18);
}

TEST(EncodeText, EuroAndBracketsUseTheEscapeTable) {
  auto t = EncodeText("Price 5\u20AC [x]");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->coding, DataCoding::kGsm7);
  EXPECT_EQ(t->units, Hex("50 72 69 63 65 20 35 1B65 20 1B3C 78 1B3E"));
  EXPECT_EQ(t->length_units, 15);
  EXPECT_EQ(PackSeptets(t->units), Hex("50 79 7a 5c 06 d5 36 65 d0 86 87 df f8 00"));
}

TEST(EncodeText, EveryExtensionCharacter) {
  auto t = EncodeText("^{}\\[~]|\u20AC\f");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->units, Hex("1B14 1B28 1B29 1B2F 1B3C 1B3D 1B3E 1B40 1B65 1B0A"));
  EXPECT_EQ(t->length_units, 20);
}

TEST(EncodeText, GsmSpecificCharactersMapToTheirCodes) {
  // @ $ _ are not at their ASCII positions; ä Ö ñ ü à é Δ £ ¤ § ¡ ¿.
  auto t =
      EncodeText("@$_\u00E4\u00D6\u00F1\u00FC\u00E0\u00E9\u0394\u00A3\u00A4\u00A7\u00A1\u00BF");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->coding, DataCoding::kGsm7);
  EXPECT_EQ(t->units, Hex("00 02 11 7B 5C 7D 7E 7F 05 10 01 24 5F 40 60"));
  EXPECT_EQ(DecodeGsm7(t->units),
            "@$_\u00E4\u00D6\u00F1\u00FC\u00E0\u00E9\u0394\u00A3\u00A4\u00A7\u00A1\u00BF");
}

TEST(EncodeText, KazakhLettersNeedUcs2) {
  auto t = EncodeText("\u04D9\u0493\u049B\u04A3\u04E9\u04B1\u04AF\u04BB\u0456");  // әғқңөұүһі
  ASSERT_TRUE(t);
  EXPECT_EQ(t->coding, DataCoding::kUcs2);
  EXPECT_EQ(t->units, Hex("04D9 0493 049B 04A3 04E9 04B1 04AF 04BB 0456"));
  EXPECT_EQ(t->length_units, 9);
}

TEST(EncodeText, OneNonGsmCharacterMakesTheWholeTextUcs2) {
  auto t = EncodeText("OK \u0436");  // ж
  ASSERT_TRUE(t);
  EXPECT_EQ(t->coding, DataCoding::kUcs2);
  EXPECT_EQ(t->units, Hex("004F 004B 0020 0436"));
}

TEST(EncodeText, Chinese) {
  auto t = EncodeText("\u4F60\u597D\u4E16\u754C");  // 你好世界
  ASSERT_TRUE(t);
  EXPECT_EQ(t->coding, DataCoding::kUcs2);
  EXPECT_EQ(t->units, Hex("4F60 597D 4E16 754C"));
  EXPECT_EQ(t->length_units, 4);
}

TEST(EncodeText, EmojiIsASurrogatePair) {
  auto t = EncodeText("A\U0001F600");  // 😀
  ASSERT_TRUE(t);
  EXPECT_EQ(t->coding, DataCoding::kUcs2);
  EXPECT_EQ(t->units, Hex("0041 D83D DE00"));
  EXPECT_EQ(t->length_units, 3);
  auto back = DecodeUcs2(t->units);
  ASSERT_TRUE(back);
  EXPECT_EQ(*back, "A\U0001F600");
}

TEST(EncodeText, InvalidUtf8IsRejected) {
  for (const std::string& bad :
       {std::string("\xC3"), std::string("\xC0\xAF"),  // truncated, overlong
        std::string("\xED\xA0\x80"),                   // surrogate
        std::string("\xF4\x90\x80\x80"),               // > U+10FFFF
        std::string("a\x80"), std::string("\xFF")}) {
    auto t = EncodeText(bad);
    ASSERT_FALSE(t) << bad;
    EXPECT_EQ(t.error().code, ErrorCode::kInvalidArgument);
    EXPECT_EQ(t.error().problem_code, "invalid_text");
  }
}

TEST(SplitForSms, ShortTextsAreOnePartWithoutUdh) {
  auto t160 = EncodeText(RepeatText("a", 160));
  ASSERT_TRUE(t160);
  auto parts = SplitForSms(*t160, 7);
  ASSERT_EQ(parts.size(), 1u);
  EXPECT_TRUE(parts[0].udh.empty());
  EXPECT_EQ(parts[0].payload.size(), 160u);

  auto u70 = EncodeText(RepeatText("\u0436", 70));
  ASSERT_TRUE(u70);
  auto uparts = SplitForSms(*u70, 7);
  ASSERT_EQ(uparts.size(), 1u);
  EXPECT_TRUE(uparts[0].udh.empty());
  EXPECT_EQ(uparts[0].payload.size(), 140u);
}

TEST(SplitForSms, Gsm7SplitsAt153WithUdh) {
  auto t = EncodeText(RepeatText("a", 161));
  ASSERT_TRUE(t);
  auto parts = SplitForSms(*t, 0x2A);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].udh, Hex("05 00 03 2A 02 01"));
  EXPECT_EQ(parts[0].payload, Repeat({0x61}, 153));
  EXPECT_EQ(parts[1].udh, Hex("05 00 03 2A 02 02"));
  EXPECT_EQ(parts[1].payload, Repeat({0x61}, 8));
}

TEST(SplitForSms, Gsm7NeverSplitsAnEscapePair) {
  // 152 'a', then EUR (1B 65) at septets 153-154, then 10 'b': 164 septets.
  auto t = EncodeText(RepeatText("a", 152) + "\u20AC" + RepeatText("b", 10));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->length_units, 164);
  auto parts = SplitForSms(*t, 0xFF);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].udh, Hex("05 00 03 FF 02 01"));
  EXPECT_EQ(parts[0].payload, Repeat({0x61}, 152));
  EXPECT_EQ(parts[1].udh, Hex("05 00 03 FF 02 02"));
  EXPECT_EQ(parts[1].payload, Cat({Hex("1B 65"), Repeat({0x62}, 10)}));
}

TEST(SplitForSms, Gsm7ThreeParts) {
  auto t = EncodeText(RepeatText("x", 400));
  ASSERT_TRUE(t);
  auto parts = SplitForSms(*t, 1);
  ASSERT_EQ(parts.size(), 3u);
  EXPECT_EQ(parts[2].udh, Hex("05 00 03 01 03 03"));
  EXPECT_EQ(parts[0].payload.size(), 153u);
  EXPECT_EQ(parts[1].payload.size(), 153u);
  EXPECT_EQ(parts[2].payload.size(), 94u);
}

TEST(SplitForSms, Ucs2SplitsAt67AndNeverSplitsASurrogatePair) {
  // 66 x ж, then 😀 (units 67-68), then 5 x ж: 73 UTF-16 units.
  auto t = EncodeText(RepeatText("\u0436", 66) + "\U0001F600" + RepeatText("\u0436", 5));
  ASSERT_TRUE(t);
  EXPECT_EQ(t->coding, DataCoding::kUcs2);
  EXPECT_EQ(t->length_units, 73);
  auto parts = SplitForSms(*t, 0x10);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].udh, Hex("05 00 03 10 02 01"));
  EXPECT_EQ(parts[0].payload, Repeat(Hex("04 36"), 66));
  EXPECT_EQ(parts[1].udh, Hex("05 00 03 10 02 02"));
  EXPECT_EQ(parts[1].payload, Cat({Hex("D8 3D DE 00"), Repeat(Hex("04 36"), 5)}));
}

TEST(SplitForSms, Ucs2SplitsAt67Units) {
  auto t = EncodeText(RepeatText("\u0436", 71));
  ASSERT_TRUE(t);
  auto parts = SplitForSms(*t, 3);
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[0].payload.size(), 134u);
  EXPECT_EQ(parts[1].payload.size(), 8u);
}

TEST(Septets, PackKnownVectors) {
  EXPECT_EQ(PackSeptets(testing::Str("hello")), Hex("E8 32 9B FD 06"));
  EXPECT_EQ(PackSeptets(testing::Str("Your OTP is 123456")),
            Hex("d9 77 5d 0e 7a 52 a1 a0 f4 1c 14 93 cd 68 35 1b"));
  // After a 6-octet UDH, 1 fill bit aligns the septets.
  EXPECT_EQ(PackSeptets(testing::Str("abc"), 1), Hex("c2 e2 31"));
}

TEST(Septets, UnpackRoundTrips) {
  EXPECT_EQ(UnpackSeptets(Hex("E8 32 9B FD 06"), 5), testing::Str("hello"));
  EXPECT_EQ(UnpackSeptets(Hex("c2 e2 31"), 3, 1), testing::Str("abc"));
  const auto septets = Hex("00 7F 1B 65 41 42 43 44 45 46 47 48 7F 00 01");
  for (int pad = 0; pad < 7; ++pad) {
    EXPECT_EQ(UnpackSeptets(PackSeptets(septets, pad), septets.size(), pad), septets) << pad;
  }
  // Asking for more septets than the octets hold stops at the end.
  EXPECT_EQ(UnpackSeptets(Hex("E8 32"), 5).size(), 2u);
}

TEST(DecodeGsm7, EscapesAndUnknownEscapes) {
  EXPECT_EQ(DecodeGsm7(Hex("50 72 69 63 65 20 35 1B65 20 1B3C 78 1B3E")), "Price 5\u20AC [x]");
  EXPECT_EQ(DecodeGsm7(Hex("1B 41")), "A");  // unknown escape: basic character
  EXPECT_EQ(DecodeGsm7(Hex("41 1B")), "A ");
}

TEST(DecodeUcs2, RejectsBrokenInput) {
  EXPECT_EQ(DecodeUcs2(Hex("00")).error().problem_code, "invalid_text");
  EXPECT_EQ(DecodeUcs2(Hex("D83D")).error().problem_code, "invalid_text");
  EXPECT_EQ(DecodeUcs2(Hex("DE00 0041")).error().problem_code, "invalid_text");
  EXPECT_EQ(*DecodeUcs2(Hex("04D9 0456")), "\u04D9\u0456");
}

}  // namespace
}  // namespace simexit::smpp
