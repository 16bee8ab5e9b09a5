#pragma once
// The languages simexit speaks to holders: SMS notices, pages and printed
// forms. One table, so adding a language is one line here (and its texts).

#include <optional>
#include <string_view>

#include "simexit/common/enum_names.hpp"

namespace simexit {

enum class Language { kZh, kEn, kRu, kKk };

// Their names are ISO 639-1 codes, as stored (holders.language,
// operators.default_language) and as sent in the API.
inline constexpr EnumNames<Language, 4> kLanguageNames{{{
    {Language::kZh, "zh"},
    {Language::kEn, "en"},
    {Language::kRu, "ru"},
    {Language::kKk, "kk"},
}}};

// The language of a holder whose language is unknown or unsupported.
inline constexpr Language kFallbackLanguage = Language::kRu;

constexpr const char* ToString(Language language) { return kLanguageNames.Name(language); }

// The language named by an ISO 639-1 code; nullopt for any other text.
constexpr std::optional<Language> ParseLanguage(std::string_view code) {
  return kLanguageNames.Parse(code);
}

}  // namespace simexit
