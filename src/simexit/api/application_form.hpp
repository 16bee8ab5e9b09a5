#pragma once
// HTML pages rendered by the API: the printable application form a holder (or
// attorney) signs at the counter, and the page behind the confirmation link of
// a phone request. Labels in zh, en, ru and kk; every value HTML-escaped.

#include <optional>
#include <string>

#include "simexit/service/termination_service.hpp"

namespace simexit::api {

// `language`: "zh", "en", "ru" or "kk".
std::string ApplicationFormHtml(const ApplicationForm& form, const std::string& language);

// Before confirming (`outcome` empty): a button that POSTs to /confirm/{token}.
// After: "confirmed", or the problem code that refused it.
std::string ConfirmPageHtml(const std::string& language, const std::string& token,
                            const std::optional<std::string>& outcome);

std::string HtmlEscape(std::string_view text);

}  // namespace simexit::api
