#pragma once
// The message catalogue: every text simexit shows or sends to people (pages,
// printed forms, SMS notices, review reasons), in each Language, listed once
// in message_texts.hpp (the files under message_texts/). Texts may hold {placeholders}; every
// language of a message uses the same ones (messages_test.cpp checks that, and that no text is
// missing).
//
// A key written in code is checked when it is compiled: MessageKey("x.y")
// with a key the catalogue lacks does not compile. Keys built at run time
// (a reason code, a state name) go through MessageKey::Find.

#include <cstddef>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/domain/language.hpp"
#include "simexit/domain/message_texts.hpp"

namespace simexit {

class MessageKey {
 public:
  // Compile-time: a key missing from the catalogue is a compile error.
  consteval MessageKey(const char* key)  // NOLINT(google-explicit-constructor)
      : index_(IndexOf(key)) {}

  // The key named at run time; nullopt when the catalogue lacks it.
  static std::optional<MessageKey> Find(std::string_view key);

  std::string_view name() const { return kMessageTexts[index_].key; }
  std::size_t index() const { return index_; }

 private:
  struct FromIndex {};
  constexpr MessageKey(FromIndex, std::size_t index) : index_(index) {}

  static consteval std::size_t IndexOf(std::string_view key) {
    for (std::size_t i = 0; i < std::size(kMessageTexts); ++i) {
      if (kMessageTexts[i].key == key) {
        return i;
      }
    }
    throw "message key missing from the catalogue (domain/message_texts.hpp)";
  }

  std::size_t index_;
};

// The text of `key` in `language`, placeholders unfilled.
std::string_view Text(MessageKey key, Language language);

// The text with its {placeholders} filled from `params`; a placeholder not in
// `params` is left as written.
std::string Format(MessageKey key, Language language,
                   const std::map<std::string, std::string>& params);

// Fills {name} in `text` from `params` (same rule as Format).
std::string FillPlaceholders(std::string_view text,
                             const std::map<std::string, std::string>& params);

// The placeholder names of a text, in order of appearance ("{a} {b} {a}" ->
// a, b, a).
std::vector<std::string> PlaceholdersOf(std::string_view text);

// Every message, for checks and tools.
std::span<const MessageText> AllMessages();

}  // namespace simexit
