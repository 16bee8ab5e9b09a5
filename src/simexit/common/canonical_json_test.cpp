#include "simexit/common/canonical_json.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <string>

namespace simexit {
namespace {

std::string Canon(std::string_view json) {
  auto value = ParseStrictJson(json);
  EXPECT_TRUE(value.has_value()) << value.error().message;
  auto out = CanonicalJson(*value);
  EXPECT_TRUE(out.has_value()) << out.error().message;
  return out.value_or("<error>");
}

TEST(CanonicalJsonTest, SortsKeysAndDropsWhitespace) {
  EXPECT_EQ(Canon(R"( { "b" : 1 , "a" : "x" , "c" : [ 3 , 1 ] } )"),
            R"({"a":"x","b":1,"c":[3,1]})");
}

TEST(CanonicalJsonTest, SortsNestedObjectsAtEveryLevel) {
  EXPECT_EQ(Canon(R"({"z":{"y":{"b":2,"a":1},"x":[{"d":0,"c":0}]},"a":{}})"),
            R"({"a":{},"z":{"x":[{"c":0,"d":0}],"y":{"a":1,"b":2}}})");
}

TEST(CanonicalJsonTest, KeysSortByByteValueNotAlphabetically) {
  // 'B' (0x42) < '_' (0x5F) < 'a' (0x61); a prefix sorts before its extensions.
  EXPECT_EQ(Canon(R"({"a":1,"_":2,"B":3,"ab":4,"a_":5})"), R"({"B":3,"_":2,"a":1,"a_":5,"ab":4})");
}

TEST(CanonicalJsonTest, Rfc8785SortingVectorUsesUtf16Order) {
  // RFC 8785 section 3.2.3: U+1F600 (a surrogate pair in UTF-16) sorts before U+FB33.
  const std::string out = Canon(
      R"({"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh",)"
      R"("1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control",)"
      R"("\u00f6":"Latin Small Letter O With Diaeresis"})");
  EXPECT_EQ(out,
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\xC2\x80\":\"Control\","
            "\"\xC3\xB6\":\"Latin Small Letter O With Diaeresis\",\"\xE2\x82\xAC\":\"Euro Sign\","
            "\"\xF0\x9F\x98\x80\":\"Emoji: Grinning Face\","
            "\"\xEF\xAC\xB3\":\"Hebrew Letter Dalet With Dagesh\"}");
}

TEST(CanonicalJsonTest, Rfc8785StringAndLiteralVector) {
  // RFC 8785 section 3.2.2 (without its floating-point member).
  EXPECT_EQ(Canon(R"({"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",)"
                  R"("literals":[null,true,false]})"),
            "{\"literals\":[null,true,false],\"string\":\"\xE2\x82\xAC$\\u000f\\nA'"
            "B\\\"\\\\\\\\\\\"/\"}");
}

TEST(CanonicalJsonTest, NonAsciiTextIsWrittenAsRawUtf8) {
  boost::json::object o;
  o["name"] = "Қазақтелеком «Алтел» 移动";
  EXPECT_EQ(CanonicalJson(o).value(), "{\"name\":\"Қазақтелеком «Алтел» 移动\"}");
  // Escaped input means the same text and canonicalises to the same bytes.
  EXPECT_EQ(Canon(R"({"name":"\u049a\u0430\u0437"})"), "{\"name\":\"Қаз\"}");
}

TEST(CanonicalJsonTest, ControlCharactersUseShortOrLowerCaseUnicodeEscapes) {
  boost::json::object o;
  o["s"] = std::string("\x00\x01\b\t\n\x0b\f\r\x1f\x7f/\"\\", 13);
  EXPECT_EQ(CanonicalJson(o).value(),
            "{\"s\":\"\\u0000\\u0001\\b\\t\\n\\u000b\\f\\r\\u001f\x7f/\\\"\\\\\"}");
}

TEST(CanonicalJsonTest, ControlCharactersInKeysAreEscapedToo) {
  boost::json::object o;
  o["a\nb"] = 1;
  EXPECT_EQ(CanonicalJson(o).value(), "{\"a\\nb\":1}");
}

TEST(CanonicalJsonTest, IntegersArePlainDecimal) {
  EXPECT_EQ(Canon("[0,-0,1,-1,9007199254740991,-9007199254740991]"),
            "[0,0,1,-1,9007199254740991,-9007199254740991]");
}

TEST(CanonicalJsonTest, RefusesFloatsEvenIntegralOnes) {
  for (const char* text : {"1.0", "1e3", "0.5", "[1,2.5]", R"({"a":{"b":-0.0}})"}) {
    auto value = ParseStrictJson(text);
    ASSERT_TRUE(value.has_value()) << text;
    auto out = CanonicalJson(*value);
    ASSERT_FALSE(out.has_value()) << text;
    EXPECT_EQ(out.error().problem_code, "unsupported_json_value");
    EXPECT_EQ(out.error().code, ErrorCode::kInvalidArgument);
  }
}

TEST(CanonicalJsonTest, RefusesIntegersBeyondTheSafeRange) {
  for (const char* text : {"9007199254740992", "-9007199254740992", "18446744073709551615"}) {
    auto out = CanonicalJson(ParseStrictJson(text).value());
    ASSERT_FALSE(out.has_value()) << text;
    EXPECT_EQ(out.error().problem_code, "unsupported_json_value");
  }
}

TEST(CanonicalJsonTest, RefusesInvalidUtf8InStringsAndKeys) {
  for (const std::string& bad :
       {std::string("\xC3"), std::string("\xC0\xAF"),  // truncated, overlong
        std::string("\xED\xA0\x80"),                   // surrogate D800
        std::string("\xF4\x90\x80\x80"),               // > U+10FFFF
        std::string("a\x80")}) {                       // stray continuation
    boost::json::object as_value;
    as_value["k"] = bad;
    EXPECT_EQ(CanonicalJson(as_value).error().problem_code, "unsupported_json_value");
    boost::json::object as_key;
    as_key[bad] = 1;
    EXPECT_EQ(CanonicalJson(as_key).error().problem_code, "unsupported_json_value");
  }
}

TEST(CanonicalJsonTest, CanonicalFormIsAFixedPoint) {
  const std::string once = Canon(R"({"b":[{"y":"\u00e9","x":null}],"a":"\t"})");
  EXPECT_EQ(Canon(once), once);
}

TEST(ParseStrictJsonTest, RefusesDuplicateKeysAtAnyDepth) {
  for (const char* text : {R"({"a":1,"a":2})", R"({"x":{"a":1,"b":2,"a":1}})",
                           R"([{"k":1},{"k":2,"k":3}])", R"({"a":1,"\u0061":1})"}) {
    auto out = ParseStrictJson(text);
    ASSERT_FALSE(out.has_value()) << text;
    EXPECT_EQ(out.error().problem_code, "invalid_json");
    EXPECT_NE(out.error().message.find("repeats the key"), std::string::npos) << text;
  }
  // The same key in sibling objects is fine.
  EXPECT_TRUE(ParseStrictJson(R"([{"k":1},{"k":2}])").has_value());
}

TEST(ParseStrictJsonTest, RefusesNonJson) {
  for (const char* text : {"", "{", R"({"a":1,})", "{\"a\":1} x", "// c\n{}", R"({'a':1})",
                           R"({"a":"\ud800"})", "{\"a\":\"\xC3\"}"}) {
    auto out = ParseStrictJson(text);
    ASSERT_FALSE(out.has_value()) << text;
    EXPECT_EQ(out.error().problem_code, "invalid_json") << text;
  }
}

TEST(ParseStrictJsonTest, AcceptsSurroundingWhitespace) {
  auto out = ParseStrictJson(" \n{\"a\":[1, 2]}\n");
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->at("a").as_array().size(), 2U);
}

}  // namespace
}  // namespace simexit
