#pragma once
// Texts of the SMS a holder receives, in their language (zh, en, ru, kk).
// Unknown languages fall back to Russian. An operator may replace any text
// for any language (Policy::sms_templates); placeholders are {name}, and only
// the ones listed for the notice may be used. Pure functions.

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/result.hpp"

namespace simexit {

enum class Notice {
  kSignInCode,       // {code}, {minutes}
  kReceived,         // {msisdn}, {id}
  kScheduled,        // {msisdn}, {date}
  kAwaitingPayment,  // {msisdn}, {amount}
  kTerminated,       // {msisdn}, {serial}, {url}
  kCancelled,        // {msisdn}
  kRejected,         // {msisdn}, {reason}
  kReminder,         // {msisdn}, {date}: the day before a scheduled termination
  kDormancyWarning,  // {msisdn}, {date}, {url}: a dormant line will be reclaimed on {date}
  kDormancyFinal,    // {msisdn}, {date}, {url}
  kConfirmRequest,   // {msisdn}, {id}, {code}, {minutes}, {url}: confirm a phone request
  kApproved,         // {msisdn}, {id}: a reviewed request was approved
  kReactivated,      // {msisdn}, {id}: a closed line is active again (id: the reactivation)
};

// Operator texts: notice name -> language -> text.
using NoticeTemplates = std::map<std::string, std::map<std::string, std::string>>;

const char* ToString(Notice notice);
std::optional<Notice> ParseNotice(std::string_view name);
std::vector<Notice> AllNotices();
// The placeholders a notice's text may use.
std::vector<std::string> NoticePlaceholders(Notice notice);
bool IsNoticeLanguage(std::string_view language);

// Checks operator texts: known notice names and languages, 1..1000 bytes,
// only the notice's placeholders. kInvalidArgument "invalid_policy" naming the
// entry (e.g. "sms_templates.terminated.kk uses unknown placeholder {when}").
Result<void> ValidateNoticeTemplates(const NoticeTemplates& templates);

// Fills the template's {placeholders} from `params`; `overrides` (the
// operator's texts) win over the built-in ones for that notice and language.
std::string RenderNotice(Notice notice, const std::string& language,
                         const std::map<std::string, std::string>& params,
                         const NoticeTemplates& overrides = {});

}  // namespace simexit
