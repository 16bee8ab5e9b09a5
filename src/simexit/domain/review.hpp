#pragma once
// Review decisions: the fixed reason codes a reviewer gives for a decision,
// and the words the holder reads in the SMS about it.

#include <array>
#include <string>
#include <string_view>

namespace simexit {

inline constexpr std::array<std::string_view, 7> kReviewReasonCodes = {
    "document_mismatch",          // the document does not match the registered holder
    "document_unreadable",        // the scan or copy cannot be read
    "power_of_attorney_invalid",  // the power of attorney does not hold up
    "holder_not_reachable",       // the holder could not be reached to confirm
    "suspected_fraud",            // signs the request is not the holder's
    "duplicate_request",          // another request covers it
    "other",                      // explained in the text
};

bool IsReviewReasonCode(std::string_view code);

// The reason as the holder reads it, in zh, en, ru or kk (en otherwise).
std::string ReviewReasonText(std::string_view code, std::string_view language);

}  // namespace simexit
