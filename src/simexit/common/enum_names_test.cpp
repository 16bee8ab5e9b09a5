#include "simexit/common/enum_names.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

enum class Colour { kRed, kGreen, kBlue };

constexpr EnumNames<Colour, 3> kColourNames{{{
    {Colour::kRed, "red"},
    {Colour::kGreen, "green"},
    {Colour::kBlue, "blue"},
}}};

static_assert(std::string_view(kColourNames.Name(Colour::kGreen)) == "green");
static_assert(kColourNames.Parse("blue") == Colour::kBlue);

TEST(EnumNamesTest, NamesAndParsesEveryEntry) {
  for (const auto& entry : kColourNames.entries()) {
    EXPECT_EQ(kColourNames.Parse(kColourNames.Name(entry.value)), entry.value);
  }
}

TEST(EnumNamesTest, ParseIsExact) {
  EXPECT_EQ(kColourNames.Parse("Red"), std::nullopt);
  EXPECT_EQ(kColourNames.Parse("red "), std::nullopt);
  EXPECT_EQ(kColourNames.Parse(""), std::nullopt);
}

TEST(EnumNamesTest, UnknownValueHasAName) {
  EXPECT_STREQ(kColourNames.Name(static_cast<Colour>(42)), "unknown");
}

TEST(EnumNamesTest, ListsNamesInOrder) {
  EXPECT_EQ(kColourNames.List(), "red, green, blue");
  EXPECT_EQ(kColourNames.List("|"), "red|green|blue");
}

}  // namespace
}  // namespace simexit
