#pragma once
// The printable application form a holder (or attorney) signs at the counter.
// Labels in zh, en, ru and kk from the message catalogue (domain/messages.hpp);
// every value HTML-escaped. (The phone confirmation page is web/confirm_page.cpp.)

#include <string>

#include "simexit/service/termination_service.hpp"

namespace simexit::api {

// `language`: "zh", "en", "ru" or "kk".
std::string ApplicationFormHtml(const ApplicationForm& form, const std::string& language);

// & < > " ' escaped (web::EscapeHtml).
std::string HtmlEscape(std::string_view text);

}  // namespace simexit::api
