#pragma once
// The bodies of the termination and sign-in routes, decoded at the edge into
// typed commands (request_json.hpp explains the mechanism). Each decoder refuses
// with the reason the API has always answered and names the field:
//
//   Msisdn          a string; "invalid_msisdn" (msisdn.hpp)
//   ContactMsisdn   a string; "invalid_contact_msisdn" (contact_msisdn.hpp)
//   Channel         "invalid_channel"
//   RefundInstruction {method, destination}; "invalid_refund" (method unknown,
//                   destination malformed: refund_destination.hpp)
//   PresentedDocument {kind, number, country, full_name, iin, birth_date,
//                   expiry_date, mrz}: strings of at most 300 bytes, full_name
//                   at most kMaxNameChars characters
//   PowerOfAttorney {number, issued_on, valid_until, issuer,
//                   principal_document, scope: [strings]}; issuer at most
//                   kMaxIssuerChars characters
//   Money           a decimal string; "invalid_amount" (money.hpp)
//   CreateTerminationCommand  POST /v1/terminations: scheduled_for is RFC 3339
//                   or a date ("invalid_schedule"), postmarked_on a date
//                   ("invalid_postmark"), reason at most kMaxReasonChars
//                   characters, channel "online" when absent
//   ReviewDecision, CancelRequest  reason at most kMaxReasonChars characters
//
// Type errors are "invalid_field", members not listed "unknown_field". Free
// text over its limit is "text_too_long" naming the field; limits count
// Unicode characters (code points), not bytes (docs/security.md).

#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
#include <cstddef>
#include <string>

#include "simexit/api/request_json.hpp"
#include "simexit/domain/money.hpp"
#include "simexit/service/termination_service.hpp"

namespace simexit {

// Limits of free text in requests, in Unicode characters.
inline constexpr std::size_t kMaxReasonChars = 500;  // cancel, review and create `reason`
inline constexpr std::size_t kMaxNameChars = 200;    // document `full_name`
inline constexpr std::size_t kMaxIssuerChars = 256;  // power of attorney `issuer`

Msisdn tag_invoke(boost::json::value_to_tag<Msisdn>, const boost::json::value& value);
ContactMsisdn tag_invoke(boost::json::value_to_tag<ContactMsisdn>, const boost::json::value& value);
Channel tag_invoke(boost::json::value_to_tag<Channel>, const boost::json::value& value);
RefundInstruction tag_invoke(boost::json::value_to_tag<RefundInstruction>,
                             const boost::json::value& value);
PresentedDocument tag_invoke(boost::json::value_to_tag<PresentedDocument>,
                             const boost::json::value& value);
PowerOfAttorney tag_invoke(boost::json::value_to_tag<PowerOfAttorney>,
                           const boost::json::value& value);
Money tag_invoke(boost::json::value_to_tag<Money>, const boost::json::value& value);
CreateTerminationCommand tag_invoke(boost::json::value_to_tag<CreateTerminationCommand>,
                                    const boost::json::value& value);
// {reason_code, reason}; `approve` is left false (the route says which).
ReviewDecision tag_invoke(boost::json::value_to_tag<ReviewDecision>,
                          const boost::json::value& value);

namespace api {

// POST /v1/auth/otp
struct SignInCodeRequest {
  Msisdn msisdn;
};
SignInCodeRequest tag_invoke(boost::json::value_to_tag<SignInCodeRequest>,
                             const boost::json::value& value);

// POST /v1/auth/otp/verify
struct SignInCodeVerification {
  Msisdn msisdn;
  std::string code;
};
SignInCodeVerification tag_invoke(boost::json::value_to_tag<SignInCodeVerification>,
                                  const boost::json::value& value);

// POST /v1/terminations/{id}/cancel (the body may be empty)
struct CancelRequest {
  std::string reason;
};
CancelRequest tag_invoke(boost::json::value_to_tag<CancelRequest>, const boost::json::value& value);
template <>
inline constexpr bool kEmptyBodyAllowed<CancelRequest> = true;

// POST /v1/terminations/{id}/payments
struct PaymentRequest {
  Money amount;
};
PaymentRequest tag_invoke(boost::json::value_to_tag<PaymentRequest>,
                          const boost::json::value& value);

// POST /v1/terminations/{id}/confirm
struct ConfirmationCode {
  std::string code;
};
ConfirmationCode tag_invoke(boost::json::value_to_tag<ConfirmationCode>,
                            const boost::json::value& value);

// POST /v1/terminations/{id}/confirmation/resend: EmptyCommand (request_json.hpp).

}  // namespace api
}  // namespace simexit
