// Tests of the test fakes themselves, where a fake has logic of its own.

#include "simexit/testing/fakes.hpp"

#include <gtest/gtest.h>

#include <string>

namespace simexit::testing {
namespace {

TEST(SeededRandom, SameSeedGivesTheSameSequence) {
  SeededRandom a(42);
  SeededRandom b(42);
  EXPECT_EQ(a.Hex(12), b.Hex(12));
  EXPECT_EQ(a.Uniform(10), b.Uniform(10));
  EXPECT_EQ(a.Hex(3), b.Hex(3));
}

TEST(SeededRandom, DifferentSeedsDiffer) {
  SeededRandom a(1);
  SeededRandom b(2);
  EXPECT_NE(a.Hex(16), b.Hex(16));
}

TEST(SeededRandom, HexHasTwoLowercaseDigitsPerByte) {
  SeededRandom random;
  const std::string hex = random.Hex(13);
  EXPECT_EQ(hex.size(), 26u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos) << hex;
  EXPECT_NE(random.Hex(13), hex);  // the sequence moves on
}

TEST(SeededRandom, UniformStaysBelowTheBoundAndReachesEveryValue) {
  SeededRandom random(7);
  bool seen[10] = {};
  for (int i = 0; i < 1000; ++i) {
    const std::uint32_t v = random.Uniform(10);
    ASSERT_LT(v, 10u);
    seen[v] = true;
  }
  for (bool s : seen) {
    EXPECT_TRUE(s);
  }
  EXPECT_EQ(random.Uniform(1), 0u);
}

}  // namespace
}  // namespace simexit::testing
