#pragma once
// The texts of the message catalogue (messages.hpp), one entry per key, in
// en, ru, kk and zh. Keys are "area.name": form.* (printed application form),
// confirm.* (phone request confirmation page), review_reason.* (why a review
// rejected a request), notice.* (SMS notices; the names operators use in
// sms_templates), web.* (self-service pages), state.* and event.* (a
// termination's timeline), line_status.*, refund_method.*, error.* (problems
// as pages show them, by problem code), console.* (the operator console).
//
// The entries live in message_texts/, one file per audience; kMessageTexts
// joins them at compile time into the one table messages.hpp searches.
// Placeholders are {name}; every language of a key uses the same set.

#include <algorithm>
#include <array>
#include <cstddef>

#include "simexit/domain/message_text.hpp"
#include "simexit/domain/message_texts/console.hpp"
#include "simexit/domain/message_texts/documents.hpp"
#include "simexit/domain/message_texts/notices.hpp"
#include "simexit/domain/message_texts/self_service.hpp"

namespace simexit {

namespace message_texts {

template <std::size_t... N>
consteval std::array<MessageText, (N + ...)> Join(const MessageText (&... parts)[N]) {
  std::array<MessageText, (N + ...)> joined{};
  auto out = joined.begin();
  ((out = std::copy(std::begin(parts), std::end(parts), out)), ...);
  return joined;
}

}  // namespace message_texts

inline constexpr auto kMessageTexts =
    message_texts::Join(message_texts::kDocumentTexts, message_texts::kNoticeTexts,
                        message_texts::kSelfServiceTexts, message_texts::kConsoleTexts);

}  // namespace simexit
