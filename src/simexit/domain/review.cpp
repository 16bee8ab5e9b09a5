#include "simexit/domain/review.hpp"

#include <algorithm>

#include "simexit/domain/messages.hpp"

namespace simexit {

bool IsReviewReasonCode(std::string_view code) {
  return std::find(kReviewReasonCodes.begin(), kReviewReasonCodes.end(), code) !=
         kReviewReasonCodes.end();
}

std::string ReviewReasonText(std::string_view code, std::string_view language) {
  std::optional<MessageKey> key = MessageKey::Find("review_reason." + std::string(code));
  if (!key) {
    return std::string(code);
  }
  return std::string(Text(*key, ParseLanguage(language).value_or(Language::kEn)));
}

}  // namespace simexit
