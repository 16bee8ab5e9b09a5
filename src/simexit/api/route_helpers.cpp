#include "simexit/api/route_helpers.hpp"

#include <cctype>

#include "simexit/common/crypto.hpp"

namespace simexit::api {

namespace json = boost::json;

ClientAddress ClientOf(const HttpRequest& request) {
  return ClientAddress::Parse(request.remote_address).value_or(ClientAddress());
}

std::string BearerOf(const HttpRequest& request) {
  // The scheme name is case-insensitive (RFC 9110 section 11.1).
  const std::string header = request.Header("authorization");
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size()) {
    return {};
  }
  for (std::size_t i = 0; i < kScheme.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) {
      return {};
    }
  }
  return header.substr(kScheme.size());
}

HttpResponse Unauthenticated() {
  return ProblemFromError(Error{ErrorCode::kUnauthenticated, "unauthenticated",
                                "send 'Authorization: Bearer <token or API key>'"});
}

json::value TimeOrNull(const std::optional<UnixSeconds>& t) {
  return t ? json::value(FormatRfc3339(*t)) : json::value(nullptr);
}

json::value DateOrNull(const std::optional<CivilDate>& d) {
  return d ? json::value(d->ToString()) : json::value(nullptr);
}

std::string MaskNumber(const std::string& number) {
  if (number.size() <= 4) {
    return std::string(number.size(), '*');
  }
  return std::string(number.size() - 4, '*') + number.substr(number.size() - 4);
}

json::object TerminationJson(const TerminationRecord& t) {
  json::object out{
      {"id", t.id},
      {"msisdn", t.msisdn.e164()},
      {"channel", ToString(t.channel)},
      {"state", ToString(t.state)},
      {"scheduled_for", TimeOrNull(t.scheduled_for)},
      {"requested_by", t.requested_by},
      {"reason", t.reason},
      {"reason_code", t.reason_code.empty() ? json::value(nullptr) : json::value(t.reason_code)},
      {"reviewed_by", t.reviewed_by.empty() ? json::value(nullptr) : json::value(t.reviewed_by)},
      {"review_since", TimeOrNull(t.review_since)},
      {"postmarked_on", DateOrNull(t.postmarked_on)},
      {"contact_msisdn",
       t.contact_msisdn ? json::value(t.contact_msisdn->e164()) : json::value(nullptr)},
      {"created_at", FormatRfc3339(t.created_at)},
      {"updated_at", FormatRfc3339(t.updated_at)},
      {"cancellable", IsCancellable(t.state)},
  };
  out["refund"] = t.refund ? json::value(json::object{{"method", ToString(t.refund->method)},
                                                      {"destination", t.refund->destination}})
                           : json::value(nullptr);
  out["settlement"] = t.settlement ? json::value(t.settlement->ToJson()) : json::value(nullptr);
  out["certificate"] =
      t.certificate_serial.empty()
          ? json::value(nullptr)
          : json::value(json::object{{"serial", t.certificate_serial},
                                     {"href", "/v1/terminations/" + t.id + "/certificate"}});
  return out;
}

json::object DetailJson(const TerminationDetail& detail) {
  json::object out = TerminationJson(detail.termination);
  out["events"] = EventsJson(detail.events);
  json::array documents;
  for (const DocumentCheckRecord& d : detail.documents) {
    documents.push_back(json::object{
        {"id", d.id},
        {"role", d.role},
        {"kind", ToString(d.kind)},
        {"number", MaskNumber(d.number)},
        {"country", d.country},
        {"full_name", d.full_name},
        {"expiry_date", DateOrNull(d.expiry_date)},
        {"mrz_checked", d.mrz_checked},
        {"checked_by", d.checked_by},
        {"checked_at", FormatRfc3339(d.checked_at)},
    });
  }
  out["documents"] = std::move(documents);
  if (detail.power_of_attorney) {
    const PowerOfAttorneyRecord& p = *detail.power_of_attorney;
    json::array scope;
    for (const std::string& s : p.scope) {
      scope.push_back(json::value(s));
    }
    out["power_of_attorney"] = json::object{{"number", MaskNumber(p.number)},
                                            {"issued_on", p.issued_on.ToString()},
                                            {"valid_until", p.valid_until.ToString()},
                                            {"issuer", p.issuer},
                                            {"scope", std::move(scope)},
                                            {"attorney_document_id", p.attorney_document_id}};
  } else {
    out["power_of_attorney"] = nullptr;
  }
  json::array uploads;
  for (const UploadRecord& u : detail.uploads) {
    uploads.push_back(json::object{{"id", u.id},
                                   {"content_type", u.content_type},
                                   {"file_name", u.file_name},
                                   {"size", u.size},
                                   {"sha256", u.sha256},
                                   {"href", "/v1/uploads/" + u.id + "/content"}});
  }
  out["uploads"] = std::move(uploads);
  if (detail.confirmation) {
    const ConfirmationRecord& c = *detail.confirmation;
    out["confirmation"] = json::object{{"expires_at", FormatRfc3339(c.expires_at)},
                                       {"confirmed_at", TimeOrNull(c.confirmed_at)},
                                       {"attempts", c.attempts}};
  } else {
    out["confirmation"] = nullptr;
  }
  return out;
}

Result<int> ParseLimit(const HttpRequest& request) {
  auto it = request.query.find("limit");
  if (it == request.query.end()) {
    return 100;
  }
  const std::string& text = it->second;
  const int limit =
      text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos
          ? -1
          : std::stoi(text);
  if (limit < 1 || limit > 1000) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_query", "limit",
                     "limit must be 1..1000");
  }
  return limit;
}

std::optional<int> LimitQuery(const HttpRequest& request, HttpResponse* problem) {
  Result<int> limit = ParseLimit(request);
  if (!limit) {
    *problem = ProblemFromError(limit.error());
    return std::nullopt;
  }
  return *limit;
}

Result<std::optional<IdempotencyKey>> IdempotencyKeyOf(const HttpRequest& request,
                                                       const Caller& caller) {
  const std::string key = request.Header("idempotency-key");
  if (key.empty()) {
    return std::optional<IdempotencyKey>();
  }
  if (key.size() > 200) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_idempotency_key",
                "Idempotency-Key is limited to 200 characters");
  }
  return IdempotencyKey{caller.actor, key,
                        HashHex(request.method + " " + request.path + "\n" + request.body)};
}

}  // namespace simexit::api
