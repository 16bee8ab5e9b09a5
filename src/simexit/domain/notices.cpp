#include "simexit/domain/notices.hpp"

#include <algorithm>

#include "simexit/common/enum_names.hpp"
#include "simexit/domain/language.hpp"
#include "simexit/domain/messages.hpp"

namespace simexit {
namespace {

// The names of the notices, as operators write them in sms_templates.
constexpr EnumNames<Notice, 13> kNoticeNames{{{
    {Notice::kSignInCode, "sign_in_code"},
    {Notice::kReceived, "termination_received"},
    {Notice::kScheduled, "termination_scheduled"},
    {Notice::kAwaitingPayment, "termination_awaiting_payment"},
    {Notice::kTerminated, "terminated"},
    {Notice::kCancelled, "termination_cancelled"},
    {Notice::kRejected, "termination_rejected"},
    {Notice::kReminder, "termination_reminder"},
    {Notice::kDormancyWarning, "dormancy_warning"},
    {Notice::kDormancyFinal, "dormancy_final"},
    {Notice::kConfirmRequest, "phone_request_confirmation"},
    {Notice::kApproved, "termination_approved"},
    {Notice::kReactivated, "line_reactivated"},
}}};

}  // namespace

const char* ToString(Notice notice) { return kNoticeNames.Name(notice); }

std::vector<Notice> AllNotices() {
  std::vector<Notice> all;
  for (const auto& entry : kNoticeNames.entries()) {
    all.push_back(entry.value);
  }
  return all;
}

std::optional<Notice> ParseNotice(std::string_view name) { return kNoticeNames.Parse(name); }

std::vector<std::string> NoticePlaceholders(Notice notice) {
  switch (notice) {
    case Notice::kSignInCode:
      return {"code", "minutes"};
    case Notice::kReceived:
      return {"msisdn", "id"};
    case Notice::kScheduled:
    case Notice::kReminder:
      return {"msisdn", "id", "date"};
    case Notice::kDormancyWarning:  // {url}: the self-service pages, where signing in keeps the
                                    // line
    case Notice::kDormancyFinal:    // ({id} stays allowed for older templates; it reads empty)
      return {"msisdn", "id", "date", "url"};
    case Notice::kAwaitingPayment:
      return {"msisdn", "id", "amount"};
    case Notice::kTerminated:
      return {"msisdn", "id", "serial", "url"};
    case Notice::kCancelled:
    case Notice::kApproved:
    case Notice::kReactivated:
      return {"msisdn", "id"};
    case Notice::kConfirmRequest:
      return {"msisdn", "id", "code", "minutes", "url"};
    case Notice::kRejected:
      return {"msisdn", "id", "reason"};
  }
  return {};
}

bool IsNoticeLanguage(std::string_view language) { return ParseLanguage(language).has_value(); }

Result<void> ValidateNoticeTemplates(const NoticeTemplates& templates) {
  auto bad = [](const std::string& message) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_policy", message);
  };
  for (const auto& [name, by_language] : templates) {
    std::optional<Notice> notice = ParseNotice(name);
    if (!notice) {
      return bad("sms_templates." + name + " is not a known notice");
    }
    const std::vector<std::string> allowed = NoticePlaceholders(*notice);
    for (const auto& [language, text] : by_language) {
      const std::string key = "sms_templates." + name + "." + language;
      if (!IsNoticeLanguage(language)) {
        return bad("sms_templates." + name + ": language " + language + " is not one of " +
                   kLanguageNames.List());
      }
      if (text.empty() || text.size() > 1000) {
        return bad(key + " must be 1 to 1000 bytes");
      }
      for (std::size_t open = text.find('{'); open != std::string::npos;
           open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) {
          return bad(key + " has an unclosed {");
        }
        const std::string placeholder = text.substr(open + 1, close - open - 1);
        if (std::find(allowed.begin(), allowed.end(), placeholder) == allowed.end()) {
          return bad(key + " uses unknown placeholder {" + placeholder + "}");
        }
      }
      if ((*notice == Notice::kSignInCode || *notice == Notice::kConfirmRequest) &&
          text.find("{code}") == std::string::npos) {
        return bad(key + " must contain {code}");
      }
    }
  }
  return {};
}

std::string RenderNotice(Notice notice, const std::string& language,
                         const std::map<std::string, std::string>& params,
                         const NoticeTemplates& overrides) {
  if (auto by_notice = overrides.find(ToString(notice)); by_notice != overrides.end()) {
    if (auto own = by_notice->second.find(language); own != by_notice->second.end()) {
      return FillPlaceholders(own->second, params);
    }
  }
  // Every notice has its texts (messages_test.cpp checks it).
  const std::optional<MessageKey> key = MessageKey::Find(std::string("notice.") + ToString(notice));
  if (!key) {
    return {};
  }
  return Format(*key, ParseLanguage(language).value_or(kFallbackLanguage), params);
}

}  // namespace simexit
