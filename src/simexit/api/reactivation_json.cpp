#include "simexit/api/reactivation_json.hpp"

#include "simexit/api/route_helpers.hpp"
#include "simexit/api/termination_json.hpp"

namespace simexit {
namespace {

namespace json = boost::json;
using api::ObjectReader;
using api::OrRefuse;
using api::RefuseValue;
using api::StringOf;

CivilDate Postmark(const json::value& value) {
  Result<CivilDate> date = ParseIsoDate(StringOf(value));
  if (!date) {
    RefuseValue("invalid_postmark", "{field} must be a date YYYY-MM-DD");
  }
  return *date;
}

std::string Reason(const json::value& value) {
  std::string text = StringOf(value);
  std::size_t chars = 0;
  for (const char c : text) {
    chars += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  }
  if (chars > kMaxReasonChars) {
    RefuseValue("text_too_long",
                "{field} is limited to " + std::to_string(kMaxReasonChars) + " characters");
  }
  return text;
}

}  // namespace

OpenReactivationCommand tag_invoke(json::value_to_tag<OpenReactivationCommand>,
                                   const json::value& value) {
  const ObjectReader r(value, {"msisdn", "channel", "document", "iccid", "imsi", "postmarked_on"});
  return OpenReactivationCommand{
      r.Required<Msisdn>("msisdn"),
      r.Optional<Channel>("channel").value_or(Channel::kStore),
      r.Optional<PresentedDocument>("document"),
      r.OptionalWith("iccid",
                     [](const json::value& v) { return OrRefuse(Iccid::Parse(StringOf(v, 64))); }),
      r.OptionalWith("imsi",
                     [](const json::value& v) { return OrRefuse(Imsi::Parse(StringOf(v, 64))); }),
      r.OptionalWith("postmarked_on", Postmark),
  };
}

namespace api {

RejectReactivation tag_invoke(json::value_to_tag<RejectReactivation>, const json::value& value) {
  const ObjectReader r(value, {"reason"});
  return RejectReactivation{r.OptionalWith("reason", Reason).value_or("")};
}

json::object ReactivationJson(const ReactivationRecord& r) {
  const auto or_null = [](const std::string& text) {
    return text.empty() ? json::value(nullptr) : json::value(text);
  };
  return json::object{
      {"id", r.id},
      {"msisdn", r.msisdn.e164()},
      {"channel", ToString(r.channel)},
      {"state", ToString(r.state)},
      {"termination_id", r.termination_id},
      {"closed_at", FormatRfc3339(r.closed_at)},
      {"sim", json::object{{"new", r.new_sim}, {"iccid", MaskNumber(r.iccid.digits())}}},
      {"postmarked_on", DateOrNull(r.postmarked_on)},
      {"requested_by", r.requested_by},
      {"reviewed_by", or_null(r.reviewed_by)},
      {"reason", or_null(r.reason)},
      {"created_at", FormatRfc3339(r.created_at)},
      {"updated_at", FormatRfc3339(r.updated_at)},
  };
}

json::object ReactivationDetailJson(const ReactivationDetail& detail) {
  json::object out = ReactivationJson(detail.reactivation);
  out["deadline"] = FormatRfc3339(detail.deadline);
  out["events"] = EventsJson(detail.events);
  return out;
}

}  // namespace api
}  // namespace simexit
