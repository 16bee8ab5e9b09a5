#include "simexit/domain/messages.hpp"

namespace simexit {

std::optional<MessageKey> MessageKey::Find(std::string_view key) {
  for (std::size_t i = 0; i < std::size(kMessageTexts); ++i) {
    if (kMessageTexts[i].key == key) {
      return MessageKey(FromIndex{}, i);
    }
  }
  return std::nullopt;
}

std::string_view Text(MessageKey key, Language language) {
  const MessageText& m = kMessageTexts[key.index()];
  switch (language) {
    case Language::kZh:
      return m.zh;
    case Language::kEn:
      return m.en;
    case Language::kRu:
      return m.ru;
    case Language::kKk:
      return m.kk;
  }
  return m.ru;
}

std::string FillPlaceholders(std::string_view text,
                             const std::map<std::string, std::string>& params) {
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const std::size_t close = text.find('}', i);
      if (close != std::string_view::npos) {
        const auto it = params.find(std::string(text.substr(i + 1, close - i - 1)));
        if (it != params.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

std::string Format(MessageKey key, Language language,
                   const std::map<std::string, std::string>& params) {
  return FillPlaceholders(Text(key, language), params);
}

std::vector<std::string> PlaceholdersOf(std::string_view text) {
  std::vector<std::string> names;
  for (std::size_t open = text.find('{'); open != std::string_view::npos;
       open = text.find('{', open + 1)) {
    const std::size_t close = text.find('}', open);
    if (close == std::string_view::npos) {
      break;
    }
    names.emplace_back(text.substr(open + 1, close - open - 1));
  }
  return names;
}

std::span<const MessageText> AllMessages() { return kMessageTexts; }

}  // namespace simexit
