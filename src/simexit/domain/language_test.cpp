#include "simexit/domain/language.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(Language, NamesRoundTrip) {
  for (const auto& entry : kLanguageNames.entries()) {
    EXPECT_EQ(ParseLanguage(ToString(entry.value)), entry.value);
  }
  EXPECT_EQ(kLanguageNames.List(), "zh, en, ru, kk");
}

TEST(Language, OnlyExactCodesParse) {
  EXPECT_EQ(ParseLanguage("kk"), Language::kKk);
  EXPECT_FALSE(ParseLanguage("KK"));
  EXPECT_FALSE(ParseLanguage("kz"));
  EXPECT_FALSE(ParseLanguage(""));
}

}  // namespace
}  // namespace simexit
