#include "simexit/domain/messages.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "simexit/domain/notices.hpp"
#include "simexit/domain/review.hpp"

namespace simexit {
namespace {

std::multiset<std::string> PlaceholderSet(std::string_view text) {
  std::vector<std::string> names = PlaceholdersOf(text);
  return {names.begin(), names.end()};
}

// The catalogue's promise: no key lacks a text in any language, and every
// language of a key uses the same placeholders (as often).
TEST(MessageCatalogue, EveryKeyHasATextInEveryLanguageWithTheSamePlaceholders) {
  for (const MessageText& m : AllMessages()) {
    const std::multiset<std::string> en = PlaceholderSet(m.en);
    for (const auto& entry : kLanguageNames.entries()) {
      const std::string_view text = Text(*MessageKey::Find(m.key), entry.value);
      EXPECT_FALSE(text.empty()) << m.key << " has no text in " << entry.name;
      EXPECT_EQ(PlaceholderSet(text), en) << m.key << " in " << entry.name;
      EXPECT_EQ(std::count(text.begin(), text.end(), '{'),
                std::count(text.begin(), text.end(), '}'))
          << m.key << " in " << entry.name << " has an unbalanced brace";
    }
  }
}

TEST(MessageCatalogue, KeysAreUniqueAndNamespaced) {
  std::set<std::string_view> seen;
  for (const MessageText& m : AllMessages()) {
    EXPECT_TRUE(seen.insert(m.key).second) << m.key << " is listed twice";
    EXPECT_NE(m.key.find('.'), std::string_view::npos) << m.key << " has no area";
  }
}

TEST(MessageCatalogue, EveryNoticeAndReviewReasonHasItsTexts) {
  for (Notice n : AllNotices()) {
    EXPECT_TRUE(MessageKey::Find(std::string("notice.") + ToString(n))) << ToString(n);
  }
  for (std::string_view code : kReviewReasonCodes) {
    EXPECT_TRUE(MessageKey::Find("review_reason." + std::string(code))) << code;
  }
}

TEST(MessageCatalogue, LooksUpAndFillsPlaceholders) {
  EXPECT_EQ(Text("form.print", Language::kKk), "Басып шығару");
  EXPECT_EQ(Format("notice.termination_received", Language::kEn,
                   {{"msisdn", "+77011234567"}, {"id", "trm_1"}}),
            "Your request to close +77011234567 was received (no. trm_1).");
  EXPECT_FALSE(MessageKey::Find("form.no_such_key"));
  EXPECT_EQ(MessageKey::Find("form.print")->name(), "form.print");
  EXPECT_EQ(FillPlaceholders("{a} and {b}", {{"a", "1"}}), "1 and {b}");
  EXPECT_EQ(PlaceholdersOf("{a} {b} {a}"), (std::vector<std::string>{"a", "b", "a"}));
}

}  // namespace
}  // namespace simexit
