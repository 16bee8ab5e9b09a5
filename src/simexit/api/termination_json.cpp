#include "simexit/api/termination_json.hpp"

#include "simexit/domain/refund_destination.hpp"

namespace simexit {
namespace {

namespace json = boost::json;
using api::ObjectReader;
using api::OrRefuse;
using api::RefuseValue;
using api::StringOf;

// RFC 3339, or a date meaning midnight UTC.
UnixSeconds ScheduleTime(const json::value& value) {
  UnixSeconds at = 0;
  if (!ParseRfc3339(StringOf(value), &at)) {
    RefuseValue("invalid_schedule",
                "{field} must be an RFC 3339 time (2026-12-01T09:00:00+05:00) or a date");
  }
  return at;
}

CivilDate Postmark(const json::value& value) {
  Result<CivilDate> date = ParseIsoDate(StringOf(value));
  if (!date) {
    RefuseValue("invalid_postmark", "{field} must be a date YYYY-MM-DD");
  }
  return *date;
}

// Free text people type is limited in characters (Unicode code points), not
// bytes, so that a limit means the same in Cyrillic as in Latin. Boost.JSON
// has already refused invalid UTF-8.
std::string LimitedText(const json::value& value, std::size_t max_chars) {
  std::string text = StringOf(value);
  std::size_t chars = 0;
  for (const char c : text) {
    chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  if (chars > max_chars) {
    RefuseValue("text_too_long",
                "{field} is limited to " + std::to_string(max_chars) + " characters");
  }
  return text;
}

std::string Reason(const json::value& value) { return LimitedText(value, kMaxReasonChars); }
std::string Name(const json::value& value) { return LimitedText(value, kMaxNameChars); }
std::string Issuer(const json::value& value) { return LimitedText(value, kMaxIssuerChars); }

std::vector<std::string> ShortStrings(const json::value& value, const char* what) {
  if (!value.is_array()) {
    RefuseValue("invalid_field", std::string("{field} must be an array of ") + what);
  }
  std::vector<std::string> out;
  for (const json::value& item : value.get_array()) {
    if (!item.is_string() || item.get_string().size() > 64) {
      RefuseValue("invalid_field", std::string("{field} must be an array of ") + what);
    }
    out.emplace_back(item.get_string());
  }
  return out;
}

}  // namespace

Msisdn tag_invoke(json::value_to_tag<Msisdn>, const json::value& value) {
  return OrRefuse(Msisdn::Parse(StringOf(value)));
}

ContactMsisdn tag_invoke(json::value_to_tag<ContactMsisdn>, const json::value& value) {
  return OrRefuse(ContactMsisdn::Parse(StringOf(value, 100)));
}

Channel tag_invoke(json::value_to_tag<Channel>, const json::value& value) {
  std::optional<Channel> channel = ParseChannel(StringOf(value));
  if (!channel || *channel == Channel::kSystem) {
    RefuseValue("invalid_channel", "{field} must be one of online, store, proxy, phone, mail");
  }
  return *channel;
}

RefundInstruction tag_invoke(json::value_to_tag<RefundInstruction>, const json::value& value) {
  if (!value.is_object()) {
    RefuseValue("invalid_field", "field '{field}' must be an object {method, destination}");
  }
  const ObjectReader r(value, {"method", "destination"});
  const RefundMethod method = r.RequiredWith("method", [](const json::value& v) {
    std::optional<RefundMethod> parsed = ParseRefundMethod(StringOf(v));
    if (!parsed) {
      RefuseValue("invalid_refund", "{field} must be one of bank_card, iban, other_line");
    }
    return *parsed;
  });
  std::string destination = r.RequiredWith("destination", [method](const json::value& v) {
    return OrRefuse(NormaliseRefundDestination(method, StringOf(v)));
  });
  return RefundInstruction{method, std::move(destination)};
}

PresentedDocument tag_invoke(json::value_to_tag<PresentedDocument>, const json::value& value) {
  const ObjectReader r(
      value, {"kind", "number", "country", "full_name", "iin", "birth_date", "expiry_date", "mrz"});
  PresentedDocument d;
  d.kind = r.RequiredWith("kind", [](const json::value& v) {
    std::optional<DocumentKind> kind = ParseDocumentKind(StringOf(v, 300));
    if (!kind) {
      RefuseValue("invalid_field", "field '{field}' must be iin, id_card or passport");
    }
    return *kind;
  });
  const auto text = [&r](const char* name) { return r.OptionalString(name, 300).value_or(""); };
  d.number = text("number");
  d.country = text("country");
  d.full_name = r.OptionalWith("full_name", Name).value_or("");
  d.iin = text("iin");
  d.birth_date = text("birth_date");
  d.expiry_date = text("expiry_date");
  d.mrz = text("mrz");
  return d;
}

PowerOfAttorney tag_invoke(json::value_to_tag<PowerOfAttorney>, const json::value& value) {
  const ObjectReader r(
      value, {"number", "issued_on", "valid_until", "issuer", "principal_document", "scope"});
  PowerOfAttorney p;
  const auto text = [&r](const char* name) { return r.OptionalString(name, 300).value_or(""); };
  p.number = text("number");
  p.issued_on = text("issued_on");
  p.valid_until = text("valid_until");
  p.issuer = r.OptionalWith("issuer", Issuer).value_or("");
  p.principal_document = text("principal_document");
  p.scope = r.OptionalWith("scope", [](const json::value& v) {
               return ShortStrings(v, "short strings");
             }).value_or(std::vector<std::string>{});
  return p;
}

Money tag_invoke(json::value_to_tag<Money>, const json::value& value) {
  return OrRefuse(Money::ParseKzt(StringOf(value)));
}

CreateTerminationCommand tag_invoke(json::value_to_tag<CreateTerminationCommand>,
                                    const json::value& value) {
  const ObjectReader r(value, {"msisdn", "channel", "scheduled_for", "refund", "reason", "document",
                               "attorney_document", "power_of_attorney", "postmarked_on",
                               "upload_ids", "contact_msisdn"});
  return CreateTerminationCommand{
      r.Required<Msisdn>("msisdn"),
      r.Optional<Channel>("channel").value_or(Channel::kOnline),
      r.OptionalWith("scheduled_for", ScheduleTime),
      r.Optional<RefundInstruction>("refund"),
      r.OptionalWith("reason", Reason).value_or(""),
      r.Optional<PresentedDocument>("document"),
      r.Optional<PresentedDocument>("attorney_document"),
      r.Optional<PowerOfAttorney>("power_of_attorney"),
      r.OptionalWith("postmarked_on", Postmark),
      r.OptionalWith("upload_ids",
                     [](const json::value& v) { return ShortStrings(v, "upload ids"); })
          .value_or(std::vector<std::string>{}),
      r.Optional<ContactMsisdn>("contact_msisdn"),
  };
}

ReviewDecision tag_invoke(json::value_to_tag<ReviewDecision>, const json::value& value) {
  const ObjectReader r(value, {"reason_code", "reason"});
  ReviewDecision d;
  d.reason_code = r.OptionalString("reason_code").value_or("");
  d.reason = r.OptionalWith("reason", Reason).value_or("");
  return d;
}

namespace api {

SignInCodeRequest tag_invoke(json::value_to_tag<SignInCodeRequest>, const json::value& value) {
  const ObjectReader r(value, {"msisdn"});
  return SignInCodeRequest{r.Required<Msisdn>("msisdn")};
}

SignInCodeVerification tag_invoke(json::value_to_tag<SignInCodeVerification>,
                                  const json::value& value) {
  const ObjectReader r(value, {"msisdn", "code"});
  // In this order: a bad number is reported before a missing code.
  Msisdn msisdn = r.Required<Msisdn>("msisdn");
  return SignInCodeVerification{std::move(msisdn), r.RequiredString("code")};
}

CancelRequest tag_invoke(json::value_to_tag<CancelRequest>, const json::value& value) {
  const ObjectReader r(value, {"reason"});
  return CancelRequest{r.OptionalWith("reason", Reason).value_or("")};
}

PaymentRequest tag_invoke(json::value_to_tag<PaymentRequest>, const json::value& value) {
  const ObjectReader r(value, {"amount"});
  return PaymentRequest{r.Required<Money>("amount")};
}

ConfirmationCode tag_invoke(json::value_to_tag<ConfirmationCode>, const json::value& value) {
  const ObjectReader r(value, {"code"});
  return ConfirmationCode{r.RequiredString("code")};
}

}  // namespace api
}  // namespace simexit
