// Routes of the channels beyond online: evidence in requests, the review
// queue and decisions, phone confirmations, and the printable application form.

#include <boost/json.hpp>

#include "simexit/api/application_form.hpp"
#include "simexit/api/request_json.hpp"
#include "simexit/api/route_helpers.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

tl::unexpected<Error> BadField(const std::string& field, const std::string& message) {
  return FailField(ErrorCode::kInvalidArgument, "invalid_field", field, message);
}

// Reads the string members of a nested object; every member must be known.
Result<std::map<std::string, std::string>> ReadStrings(
    const json::value& value, const std::string& name,
    std::initializer_list<std::string_view> allowed,
    std::initializer_list<std::string_view> except = {}) {
  if (!value.is_object()) return BadField(name, "field '" + name + "' must be an object");
  std::map<std::string, std::string> out;
  for (const auto& member : value.get_object()) {
    const std::string key(member.key());
    bool known = false;
    for (std::string_view a : allowed) known = known || a == key;
    if (!known) {
      return FailField(ErrorCode::kInvalidArgument, "unknown_field", name + "." + key,
                       "unknown field '" + name + "." + key + "'");
    }
    bool skip = false;
    for (std::string_view e : except) skip = skip || e == key;
    if (skip || member.value().is_null()) continue;
    if (!member.value().is_string()) {
      return BadField(name + "." + key, "field '" + name + "." + key + "' must be a string");
    }
    const std::string text(member.value().get_string());
    if (text.size() > 300) {
      return BadField(name + "." + key, "field '" + name + "." + key + "' is too long");
    }
    out[key] = text;
  }
  return out;
}

Result<PresentedDocument> ReadDocument(const json::value& value, const std::string& name) {
  Result<std::map<std::string, std::string>> f =
      ReadStrings(value, name,
                  {"kind", "number", "country", "full_name", "iin", "birth_date", "expiry_date",
                   "mrz"});
  if (!f) return Fail(f.error());
  PresentedDocument d;
  auto it = f->find("kind");
  if (it == f->end()) {
    return BadField(name + ".kind", "field '" + name + ".kind' is required: iin, id_card or passport");
  }
  std::optional<DocumentKind> kind = ParseDocumentKind(it->second);
  if (!kind) {
    return BadField(name + ".kind", "field '" + name + ".kind' must be iin, id_card or passport");
  }
  d.kind = *kind;
  auto get = [&](const char* key) {
    auto found = f->find(key);
    return found == f->end() ? std::string() : found->second;
  };
  d.number = get("number");
  d.country = get("country");
  d.full_name = get("full_name");
  d.iin = get("iin");
  d.birth_date = get("birth_date");
  d.expiry_date = get("expiry_date");
  d.mrz = get("mrz");
  return d;
}

Result<PowerOfAttorney> ReadPowerOfAttorney(const json::value& value) {
  const std::string name = "power_of_attorney";
  Result<std::map<std::string, std::string>> f =
      ReadStrings(value, name,
                  {"number", "issued_on", "valid_until", "issuer", "principal_document", "scope"},
                  {"scope"});
  if (!f) return Fail(f.error());
  PowerOfAttorney p;
  auto get = [&](const char* key) {
    auto found = f->find(key);
    return found == f->end() ? std::string() : found->second;
  };
  p.number = get("number");
  p.issued_on = get("issued_on");
  p.valid_until = get("valid_until");
  p.issuer = get("issuer");
  p.principal_document = get("principal_document");
  if (const json::value* scope = value.get_object().if_contains("scope");
      scope != nullptr && !scope->is_null()) {
    if (!scope->is_array()) return BadField(name + ".scope", "scope must be an array of strings");
    for (const json::value& item : scope->get_array()) {
      if (!item.is_string() || item.get_string().size() > 64) {
        return BadField(name + ".scope", "scope must be an array of short strings");
      }
      p.scope.emplace_back(item.get_string());
    }
  }
  return p;
}

const char* HtmlLanguage(const HttpRequest& request, const std::string& fallback) {
  std::string lang = fallback;
  if (auto it = request.query.find("lang"); it != request.query.end()) lang = it->second;
  if (lang == "en") return "en";
  if (lang == "kk") return "kk";
  if (lang == "zh") return "zh";
  return "ru";
}

HttpResponse Html(unsigned status, std::string body) {
  HttpResponse response;
  response.status = status;
  response.content_type = "text/html; charset=utf-8";
  response.body = std::move(body);
  response.headers.emplace_back("Content-Security-Policy",
                                "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
                                "form-action 'self'");
  return response;
}

}  // namespace

Result<void> ReadEvidence(const json::object& body, CreateTerminationRequest* out) {
  if (const json::value* v = body.if_contains("document"); v != nullptr && !v->is_null()) {
    Result<PresentedDocument> d = ReadDocument(*v, "document");
    if (!d) return Fail(d.error());
    out->document = std::move(*d);
  }
  if (const json::value* v = body.if_contains("attorney_document"); v != nullptr && !v->is_null()) {
    Result<PresentedDocument> d = ReadDocument(*v, "attorney_document");
    if (!d) return Fail(d.error());
    out->attorney_document = std::move(*d);
  }
  if (const json::value* v = body.if_contains("power_of_attorney"); v != nullptr && !v->is_null()) {
    Result<PowerOfAttorney> p = ReadPowerOfAttorney(*v);
    if (!p) return Fail(p.error());
    out->power_of_attorney = std::move(*p);
  }
  if (const json::value* v = body.if_contains("postmarked_on"); v != nullptr && !v->is_null()) {
    if (!v->is_string()) return BadField("postmarked_on", "postmarked_on must be a date string");
    out->postmarked_on = std::string(v->get_string());
  }
  if (const json::value* v = body.if_contains("upload_ids"); v != nullptr && !v->is_null()) {
    if (!v->is_array()) return BadField("upload_ids", "upload_ids must be an array of ids");
    for (const json::value& item : v->get_array()) {
      if (!item.is_string() || item.get_string().size() > 64) {
        return BadField("upload_ids", "upload_ids must be an array of upload ids");
      }
      out->upload_ids.emplace_back(item.get_string());
    }
  }
  return {};
}

void AddChannelRoutes(Router& router, ApiServices& s) {
  for (const bool approve : {true, false}) {
    router.Add("POST",
               approve ? "/v1/terminations/{id}/approve" : "/v1/terminations/{id}/reject",
               [&s, approve](const HttpRequest& request, const PathParams& p) {
                 return WithCaller(s, request, [&](const Caller& caller) {
                   Result<json::object> body =
                       ParseObject(request.body, {"reason_code", "reason"}, approve);
                   if (!body) return ProblemFromError(body.error());
                   Result<std::optional<std::string>> code = OptionalString(*body, "reason_code");
                   if (!code) return ProblemFromError(code.error());
                   Result<std::optional<std::string>> reason = OptionalString(*body, "reason");
                   if (!reason) return ProblemFromError(reason.error());
                   if (reason->value_or("").size() > 500) {
                     return Problem(400, "invalid_field", "Invalid field",
                                    "reason is limited to 500 bytes", {{"field", "reason"}});
                   }
                   Result<TerminationRecord> t = s.terminations.Review(
                       caller, p.at("id"), approve, code->value_or(""), reason->value_or(""));
                   if (!t) return ProblemFromError(t.error());
                   return Json(200, TerminationJson(*t));
                 });
               });
  }

  router.Add("GET", "/v1/reviews", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      if (caller.kind == CallerKind::kHolder) {
        return Problem(404, "route_not_found", "Not found", "no such resource");
      }
      HttpResponse problem;
      std::optional<int> limit = LimitQuery(request, &problem);
      if (!limit) return problem;
      Result<std::vector<ReviewItem>> queue = s.terminations.ReviewQueue(caller, *limit);
      if (!queue) return ProblemFromError(queue.error());
      json::array items;
      for (const ReviewItem& item : *queue) {
        json::object entry = TerminationJson(item.termination);
        entry["operator"] = item.operator_code;
        entry["waiting_seconds"] = item.waiting_seconds;
        entry["sla_seconds"] = item.sla_seconds;
        entry["overdue"] = item.overdue;
        items.push_back(std::move(entry));
      }
      return Json(200, json::object{{"items", std::move(items)}});
    });
  });

  // The holder's answer to a phone request: no sign-in, the code is the proof.
  router.Add("POST", "/v1/terminations/{id}/confirm",
             [&s](const HttpRequest& request, const PathParams& p) {
               Result<json::object> body = ParseObject(request.body, {"code"});
               if (!body) return ProblemFromError(body.error());
               Result<std::string> code = RequiredString(*body, "code");
               if (!code) return ProblemFromError(code.error());
               Result<TerminationRecord> t = s.terminations.ConfirmByCode(p.at("id"), *code);
               if (!t) return ProblemFromError(t.error());
               return Json(200, TerminationJson(*t));
             });

  router.Add("POST", "/v1/confirmations/{token}",
             [&s](const HttpRequest&, const PathParams& p) {
               Result<TerminationRecord> t = s.terminations.ConfirmByLink(p.at("token"));
               if (!t) return ProblemFromError(t.error());
               return Json(200, json::object{{"id", t->id},
                                             {"msisdn", t->msisdn},
                                             {"state", ToString(t->state)}});
             });

  // The link in the SMS opens a page with one button; following a link alone
  // (link previews, scanners) changes nothing.
  router.Add("GET", "/confirm/{token}", [](const HttpRequest& request, const PathParams& p) {
    return Html(200, ConfirmPageHtml(HtmlLanguage(request, "ru"), p.at("token"), std::nullopt));
  });
  router.Add("POST", "/confirm/{token}", [&s](const HttpRequest& request, const PathParams& p) {
    Result<TerminationRecord> t = s.terminations.ConfirmByLink(p.at("token"));
    const char* lang = HtmlLanguage(request, "ru");
    if (!t) {
      return Html(HttpStatusFor(t.error().code),
                  ConfirmPageHtml(lang, p.at("token"), t.error().reason));
    }
    return Html(200, ConfirmPageHtml(lang, p.at("token"), std::string("confirmed")));
  });

  router.Add("POST", "/v1/terminations/{id}/confirmation/resend",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<json::object> body = ParseObject(request.body, {}, true);
                 if (!body) return ProblemFromError(body.error());
                 Result<PendingConfirmation> sent =
                     s.terminations.ResendConfirmation(caller, p.at("id"));
                 if (!sent) return ProblemFromError(sent.error());
                 return Json(202, json::object{{"status", "sent"},
                                               {"expires_at", FormatRfc3339(sent->expires_at)}});
               });
             });

  router.Add("GET", "/v1/terminations/{id}/application-form",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<ApplicationForm> form = s.terminations.Form(caller, p.at("id"));
                 if (!form) return ProblemFromError(form.error());
                 return Html(200, ApplicationFormHtml(
                                      *form, HtmlLanguage(request, form->holder.language)));
               });
             });
}

}  // namespace simexit::api
