#pragma once
// Texts of the SMS a holder receives, in their language (zh, en, ru, kk).
// Unknown languages fall back to Russian. Pure functions.

#include <map>
#include <string>

namespace simexit {

enum class Notice {
  kSignInCode,       // {code}, {minutes}
  kReceived,         // {msisdn}, {id}
  kScheduled,        // {msisdn}, {date}
  kAwaitingPayment,  // {msisdn}, {amount}
  kTerminated,       // {msisdn}, {serial}, {url}
  kCancelled,        // {msisdn}
  kRejected,         // {msisdn}, {reason}
};

const char* ToString(Notice notice);

// Fills the template's {placeholders} from `params`.
std::string RenderNotice(Notice notice, const std::string& language,
                         const std::map<std::string, std::string>& params);

}  // namespace simexit
