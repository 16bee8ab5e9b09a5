#include "simexit/domain/review.hpp"

#include <gtest/gtest.h>

namespace simexit {
namespace {

TEST(ReviewTest, EveryCodeHasWordsInEveryLanguage) {
  for (std::string_view code : kReviewReasonCodes) {
    EXPECT_TRUE(IsReviewReasonCode(code));
    for (const char* language : {"en", "ru", "kk", "zh"}) {
      const std::string text = ReviewReasonText(code, language);
      EXPECT_NE(text, std::string(code)) << code << " " << language;
      EXPECT_FALSE(text.empty());
    }
  }
  EXPECT_NE(ReviewReasonText("document_mismatch", "ru"),
            ReviewReasonText("document_mismatch", "en"));
}

TEST(ReviewTest, UnknownCodesAreRefused) {
  EXPECT_FALSE(IsReviewReasonCode(""));
  EXPECT_FALSE(IsReviewReasonCode("Other"));
  EXPECT_FALSE(IsReviewReasonCode("because"));
  EXPECT_EQ(ReviewReasonText("because", "en"), "because");
}

}  // namespace
}  // namespace simexit
