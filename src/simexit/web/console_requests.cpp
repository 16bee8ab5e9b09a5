// Opening a request from the console, one form per channel (docs/channels.md):
//   store  the holder's document (typed, or its MRZ typed or scanned)
//   proxy  the attorney's document and the power of attorney
//   phone  nothing up front: the holder confirms by the code sent to the line
//   mail   the document as written in the application, the postmark date, scans
// GET /console/requests/new?channel=&msisdn= shows the form; POST
// /console/requests turns it into the body POST /v1/terminations takes,
// decodes it with the API's decoder and calls TerminationService::Create, so
// every check is the API's. A problem shows next to the field it names.
// POST /console/uploads stores one scan (UploadService::Upload) for the mail
// form's script, which shows the upload's progress.

#include <boost/json.hpp>

#include "simexit/api/route_helpers.hpp"
#include "simexit/api/termination_json.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/common/random.hpp"
#include "simexit/web/console_documents.hpp"
#include "simexit/web/console_shell.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

namespace json = boost::json;
using api::HttpRequest;
using api::HttpResponse;
using api::PathParams;

// The form field an API problem's `field` names: "document.expiry_date" ->
// document_expiry_date, "document.mrz.composite" -> document_mrz,
// "attorney_document.number" -> attorney_number, "power_of_attorney.issuer"
// -> poa_issuer, "upload_ids[1]" -> upload_ids.
std::string FormField(const std::string& api_field) {
  for (const auto& [member, prefix] :
       {std::pair{"document", "document_"}, std::pair{"attorney_document", "attorney_"},
        std::pair{"power_of_attorney", "poa_"}}) {
    const std::string dotted = std::string(member) + ".";
    if (api_field == member) {
      return std::string(prefix) + "number";
    }
    if (api_field.starts_with(dotted)) {
      const std::string rest = api_field.substr(dotted.size());
      return std::string(prefix) + (rest.starts_with("mrz") ? std::string("mrz") : rest);
    }
  }
  if (api_field.starts_with("upload_ids")) {
    return "upload_ids";
  }
  return api_field;
}

}  // namespace

FieldError FormError(const PageContext& ctx, const Error& error) {
  FieldError shown = ErrorFrom(ctx, error);
  if (!error.field.empty() && error.field != "refund" && !error.field.starts_with("refund.") &&
      error.field != "scheduled_for") {
    shown.field = FormField(error.field);
  }
  if (error.problem_code == "mrz_check_digit") {
    const std::string part = error.field.substr(error.field.rfind('.') + 1);
    if (auto key = MessageKey::Find("console.mrz." + part)) {
      shown.text = ctx.F("console.mrz.wrong", {{"part", std::string(ctx.T(*key))}});
    }
  }
  if (error.problem_code == "postmark_required") {
    shown.field = "postmarked_on";
  }
  if (error.problem_code == "scans_required") {
    shown.field = "upload_ids";
  }
  return shown;
}

Html DocumentFields(const PageContext& ctx, const Form& form, const std::string& prefix,
                    const std::optional<FieldError>& error) {
  auto value = [&](const char* name) { return Field(form, prefix + name); };
  auto id = [&](const char* name) { return prefix + name; };
  const std::string kind = value("kind").empty() ? "id_card" : value("kind");
  Html h;
  h << "<fieldset class=\"document\"><legend>"
    << Text(ctx.T(prefix == "attorney_" ? MessageKey("console.doc.attorney")
                                        : MessageKey("console.doc.holder")))
    << "</legend><label for=\"" << Text(id("kind")) << "\">" << Text(ctx.T("console.doc.kind"))
    << "</label>";
  const std::optional<FieldError> on_kind = ErrorOn(error, id("kind"));
  if (on_kind) {
    h << "<p class=\"error\" id=\"" << Text(id("kind")) << "-error\" data-code=\""
      << Text(on_kind->code) << "\">" << Text(on_kind->text) << "</p>";
  }
  h << "<select id=\"" << Text(id("kind")) << "\" name=\"" << Text(id("kind")) << "\">";
  for (const auto& [name, key] : {std::pair{"id_card", MessageKey("console.doc.kind.id_card")},
                                  std::pair{"passport", MessageKey("console.doc.kind.passport")},
                                  std::pair{"iin", MessageKey("console.doc.kind.iin")}}) {
    h << "<option value=\"" << Text(name) << "\"" << (kind == name ? Markup(" selected") : "")
      << ">" << Text(ctx.T(key)) << "</option>";
  }
  const std::string mrz = id("mrz");
  const std::string number = id("number");
  const std::string country = id("country");
  const std::string full_name = id("full_name");
  const std::string iin = id("iin");
  const std::string birth = id("birth_date");
  const std::string expiry = id("expiry_date");
  h << "</select>"
    << InputField(ctx,
                  {number, "console.doc.number", std::nullopt, "text", value("number"),
                   "autocomplete=\"off\""},
                  error)
    << InputField(ctx,
                  {country, "console.doc.country", std::nullopt, "text", value("country"),
                   "autocomplete=\"off\" maxlength=\"3\""},
                  error)
    << InputField(ctx,
                  {full_name, "console.doc.full_name", std::nullopt, "text", value("full_name"),
                   "autocomplete=\"off\""},
                  error)
    << InputField(ctx,
                  {iin, "console.doc.iin", std::nullopt, "text", value("iin"),
                   "autocomplete=\"off\" inputmode=\"numeric\""},
                  error)
    << InputField(ctx, {birth, "console.doc.birth_date", std::nullopt, "date", value("birth_date")},
                  error)
    << InputField(ctx,
                  {expiry, "console.doc.expiry_date", std::nullopt, "date", value("expiry_date")},
                  error);
  // The MRZ: a textarea, checked live by the site script (the server checks it again).
  const std::optional<FieldError> mine = ErrorOn(error, mrz);
  h << "<label for=\"" << Text(mrz) << "\">" << Text(ctx.T("console.doc.mrz"))
    << "<span class=\"hint\" id=\"" << Text(mrz) << "-hint\">"
    << Text(ctx.T("console.doc.mrz_hint")) << "</span></label>";
  if (mine) {
    h << "<p class=\"error\" id=\"" << Text(mrz) << "-error\" data-code=\"" << Text(mine->code)
      << "\">" << Text(mine->text) << "</p>";
  }
  h << "<textarea id=\"" << Text(mrz) << "\" name=\"" << Text(mrz)
    << "\" class=\"mrz\" rows=\"3\" spellcheck=\"false\" autocomplete=\"off\" aria-describedby=\""
    << Text(mrz) << "-hint " << Text(mrz) << "-live" << (mine ? Markup(" ") : "")
    << (mine ? Text(mrz + "-error") : Text("")) << "\""
    << (mine ? Markup(" aria-invalid=\"true\"") : "") << " data-ok=\""
    << Text(ctx.T("console.mrz.ok")) << "\" data-layout=\"" << Text(ctx.T("console.mrz.layout"))
    << "\" data-wrong=\"" << Text(ctx.T("console.mrz.wrong")) << "\"";
  for (const char* part :
       {"document_number", "birth_date", "expiry_date", "personal_number", "composite"}) {
    if (auto key = MessageKey::Find(std::string("console.mrz.") + part)) {
      h << " data-part-" << Text(part) << "=\"" << Text(ctx.T(*key)) << "\"";
    }
  }
  h << ">" << Text(value("mrz")) << "</textarea><p class=\"mrz-live\" id=\"" << Text(mrz)
    << "-live\" aria-live=\"polite\"></p></fieldset>";
  return h;
}

json::object DocumentJson(const Form& form, const std::string& prefix) {
  json::object doc{{"kind", Field(form, prefix + "kind")}};
  for (const char* member :
       {"number", "country", "full_name", "iin", "birth_date", "expiry_date", "mrz"}) {
    const std::string value = Field(form, prefix + member);
    if (!value.empty()) {
      doc[member] = value;
    }
  }
  return doc;
}

namespace {

// The body POST /v1/terminations would get from the form.
json::object RequestJson(const Form& form, Channel channel) {
  json::object body{{"msisdn", Field(form, "msisdn")}, {"channel", ToString(channel)}};
  if (channel == Channel::kStore || channel == Channel::kMail) {
    body["document"] = DocumentJson(form, "document_");
  }
  if (channel == Channel::kProxy) {
    body["attorney_document"] = DocumentJson(form, "attorney_");
    json::array scope;
    std::string rest = Field(form, "poa_scope");
    for (std::size_t comma; !rest.empty();
         rest = comma == std::string::npos ? "" : rest.substr(comma + 1)) {
      comma = rest.find(',');
      scope.emplace_back(rest.substr(0, comma));
    }
    json::object poa{{"scope", std::move(scope)}};
    for (const char* member :
         {"number", "issued_on", "valid_until", "issuer", "principal_document"}) {
      poa[member] = Field(form, std::string("poa_") + member);
    }
    body["power_of_attorney"] = std::move(poa);
  }
  if (channel == Channel::kMail) {
    if (!Field(form, "postmarked_on").empty()) {
      body["postmarked_on"] = Field(form, "postmarked_on");
    }
    json::array ids;
    std::string rest = Field(form, "upload_ids");
    for (std::size_t comma; !rest.empty();
         rest = comma == std::string::npos ? "" : rest.substr(comma + 1)) {
      comma = rest.find(',');
      std::string id = rest.substr(0, comma);
      std::erase(id, ' ');
      if (!id.empty()) {
        ids.emplace_back(id);
      }
    }
    body["upload_ids"] = std::move(ids);
  }
  const std::string method = Field(form, "refund_method");
  const std::string destination = Field(form, "refund_destination");
  if (!method.empty() || !destination.empty()) {
    body["refund"] = json::object{{"method", method}, {"destination", destination}};
  }
  return body;
}

HttpResponse RequestPage(api::ApiServices& s, const PageContext& ctx, const StaffMember& me,
                         Channel channel, const Form& form, const std::optional<FieldError>& error,
                         unsigned status = 200) {
  static SodiumRandom random;
  const std::string msisdn = Field(form, "msisdn");
  const std::string title =
      ctx.F("console.request.title", {{"channel", ChannelText(ctx, channel)}, {"msisdn", msisdn}});
  Html main = ConsoleTop(ctx, me);
  // The line as GET /v1/lines/{msisdn} shows it: another operator's is not
  // found, and then there is no form either.
  Result<Msisdn> number = Msisdn::Parse(msisdn);
  Result<LineView> view =
      number ? s.terminations.GetLine(me.caller, *number) : Result<LineView>(Fail(number.error()));
  if (!view) {
    main << ProblemAlert(ctx, view.error().problem_code) << SearchForm(ctx, LineQuery{});
    return ConsolePage(ctx, title, main, api::HttpStatusFor(view.error().code));
  }
  main << LineCard(ctx, me, *view);
  main
      << Alert(error, {"document_kind",
                       "document_number",
                       "document_country",
                       "document_full_name",
                       "document_iin",
                       "document_birth_date",
                       "document_expiry_date",
                       "document_mrz",
                       "attorney_kind",
                       "attorney_number",
                       "attorney_country",
                       "attorney_full_name",
                       "attorney_iin",
                       "attorney_birth_date",
                       "attorney_expiry_date",
                       "attorney_mrz",
                       "poa_number",
                       "poa_issued_on",
                       "poa_valid_until",
                       "poa_issuer",
                       "poa_principal_document",
                       "poa_scope",
                       "postmarked_on",
                       "upload_ids",
                       "refund_method",
                       "refund_destination"})
      << "<form class=\"card request\" id=\"request\" method=\"post\" action=\"/console/requests\" "
         "novalidate data-channel=\""
      << Text(ToString(channel)) << "\">" << ctx.CsrfField()
      << "<input type=\"hidden\" name=\"channel\" value=\"" << Text(ToString(channel))
      << "\"><input type=\"hidden\" name=\"msisdn\" value=\"" << Text(msisdn)
      << "\"><input type=\"hidden\" name=\"attempt\" value=\""
      << Text(Field(form, "attempt").empty() ? random.Hex(12) : Field(form, "attempt")) << "\">";
  if (channel == Channel::kPhone) {
    main << "<p>" << Text(ctx.T("console.request.phone_intro")) << "</p>";
  }
  if (channel == Channel::kStore || channel == Channel::kMail) {
    main << DocumentFields(ctx, form, "document_", error);
  }
  if (channel == Channel::kProxy) {
    main << DocumentFields(ctx, form, "attorney_", error) << "<fieldset><legend>"
         << Text(ctx.T("console.poa.heading")) << "</legend>"
         << InputField(ctx,
                       {"poa_number", "console.poa.number", std::nullopt, "text",
                        Field(form, "poa_number"), "autocomplete=\"off\""},
                       error)
         << InputField(ctx,
                       {"poa_issued_on", "console.poa.issued_on", std::nullopt, "date",
                        Field(form, "poa_issued_on")},
                       error)
         << InputField(ctx,
                       {"poa_valid_until", "console.poa.valid_until", std::nullopt, "date",
                        Field(form, "poa_valid_until")},
                       error)
         << InputField(ctx,
                       {"poa_issuer", "console.poa.issuer", std::nullopt, "text",
                        Field(form, "poa_issuer"), "autocomplete=\"off\""},
                       error)
         << InputField(ctx,
                       {"poa_principal_document", "console.poa.principal_document", std::nullopt,
                        "text", Field(form, "poa_principal_document"), "autocomplete=\"off\""},
                       error)
         << InputField(
                ctx,
                {"poa_scope", "console.poa.scope", MessageKey("console.poa.scope_hint"), "text",
                 Field(form, "poa_scope").empty() ? std::string("termination")
                                                  : Field(form, "poa_scope"),
                 "autocomplete=\"off\""},
                error)
         << "</fieldset>";
  }
  if (channel == Channel::kMail) {
    main << "<fieldset class=\"mail\"><legend>" << Text(ctx.T("console.mail.scans")) << "</legend>"
         << InputField(ctx,
                       {"postmarked_on", "console.mail.postmarked_on", std::nullopt, "date",
                        Field(form, "postmarked_on")},
                       error)
         << "<div class=\"uploader\" hidden data-csrf=\"" << Text(ctx.CsrfToken())
         << "\" data-uploaded=\"" << Text(ctx.T("console.mail.uploaded")) << "\" data-failed=\""
         << Text(ctx.T("console.mail.upload_failed")) << "\"><label for=\"scan_files\">"
         << Text(ctx.T("console.mail.scans")) << "<span class=\"hint\" id=\"scan_files-hint\">"
         << Text(ctx.T("console.mail.scans_hint"))
         << "</span></label><input type=\"file\" id=\"scan_files\" multiple "
            "accept=\"application/pdf,image/jpeg,image/png\" aria-describedby=\"scan_files-hint\">"
            "<ul class=\"uploads\" aria-live=\"polite\"></ul></div>"
         << InputField(ctx,
                       {"upload_ids", "console.mail.upload_ids",
                        MessageKey("console.mail.upload_ids_hint"), "text",
                        Field(form, "upload_ids"), "autocomplete=\"off\""},
                       error)
         << "</fieldset>";
  }
  main << "<fieldset><legend>" << Text(ctx.T("web.close.refund")) << "</legend>";
  if (const std::optional<FieldError> mine = ErrorOn(error, "refund_method")) {
    main << "<p class=\"error\" id=\"refund_method-error\" data-code=\"" << Text(mine->code)
         << "\">" << Text(mine->text) << "</p>";
  }
  main << "<label for=\"refund_method\">" << Text(ctx.T("console.refund.method"))
       << "</label><select id=\"refund_method\" name=\"refund_method\"><option value=\"\">"
       << Text(ctx.T("console.none")) << "</option>";
  for (RefundMethod method : kAllRefundMethods) {
    const std::string name = ToString(method);
    main << "<option value=\"" << Text(name) << "\""
         << (Field(form, "refund_method") == name ? Markup(" selected") : "") << ">";
    if (auto key = MessageKey::Find("refund_method." + name)) {
      main << Text(ctx.T(*key));
    }
    main << "</option>";
  }
  main << "</select>"
       << InputField(ctx,
                     {"refund_destination", "web.close.destination", std::nullopt, "text",
                      Field(form, "refund_destination"), "autocomplete=\"off\""},
                     error)
       << "</fieldset><button type=\"submit\">" << Text(ctx.T("console.request.submit"))
       << "</button></form>";
  return ConsolePage(ctx, title, main, status);
}

std::optional<Channel> StaffChannel(const std::string& text) {
  std::optional<Channel> channel = ParseChannel(text);
  if (!channel || *channel == Channel::kOnline || *channel == Channel::kSystem) {
    return std::nullopt;
  }
  return channel;
}

}  // namespace

void AddConsoleRequestPages(api::Router& router, api::ApiServices& s) {
  router.Add("GET", "/console/requests/new", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    return WithStaff(s, ctx, [&](const StaffMember& me) {
      Form form(request.query.begin(), request.query.end());
      form.erase("attempt");
      std::optional<Channel> channel = StaffChannel(Field(form, "channel"));
      if (!channel) {
        Html main = ConsoleTop(ctx, me);
        main << ProblemAlert(ctx, "invalid_channel") << SearchForm(ctx, LineQuery{});
        return ConsolePage(ctx, ctx.T("console.title"), main, 400);
      }
      return RequestPage(s, ctx, me, *channel, form, std::nullopt);
    });
  });

  router.Add("POST", "/console/requests", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    std::optional<Form> form = CheckedForm(ctx);
    if (!form) {
      return StaffSignInPage(ctx, "", std::string("csrf"), 403);
    }
    return WithStaff(s, ctx, [&](const StaffMember& me) {
      std::optional<Channel> channel = StaffChannel(Field(*form, "channel"));
      if (!channel) {
        Html main = ConsoleTop(ctx, me);
        main << ProblemAlert(ctx, "invalid_channel");
        return ConsolePage(ctx, ctx.T("console.title"), main, 400);
      }
      const json::object body = RequestJson(*form, *channel);
      const std::string serialized = json::serialize(body);
      Result<CreateTerminationCommand> command =
          api::DecodeBody<CreateTerminationCommand>(serialized);
      if (!command) {
        return RequestPage(s, ctx, me, *channel, *form, FormError(ctx, command.error()), 400);
      }
      std::optional<IdempotencyKey> idempotency;
      if (const std::string attempt = Field(*form, "attempt");
          !attempt.empty() && attempt.size() <= 64) {
        idempotency = IdempotencyKey{me.caller.actor, "console:" + attempt,
                                     HashHex("POST /v1/terminations\n" + serialized)};
      }
      Result<CreatedTermination> created = s.terminations.Create(me.caller, *command, idempotency);
      if (!created) {
        return RequestPage(s, ctx, me, *channel, *form, FormError(ctx, created.error()),
                           api::HttpStatusFor(created.error().code));
      }
      return Redirect(ctx, TerminationPath(created->termination.id));
    });
  });

  // One scan, its bytes as the body (the mail form's script sends it with
  // the page's CSRF token in X-CSRF-Token); answers {"id"} or the problem.
  router.Add("POST", "/console/uploads", [&s](const HttpRequest& request, const PathParams&) {
    const PageContext ctx(request);
    if (!ctx.CsrfValid({{"csrf", request.Header("x-csrf-token")}})) {
      return api::ProblemFromError(Error{ErrorCode::kPermissionDenied, "csrf_invalid",
                                         "the CSRF token is not this browser's"});
    }
    std::optional<StaffMember> me = SignedInStaff(s, ctx);
    if (!me) {
      return api::ProblemFromError(
          Error{ErrorCode::kUnauthenticated, "unauthenticated", "sign in again"});
    }
    NewUpload upload;
    upload.bytes = request.body;
    upload.declared_content_type = request.Header("content-type");
    if (auto it = request.query.find("filename"); it != request.query.end()) {
      upload.file_name = it->second;
    }
    Result<UploadRecord> stored = s.uploads.Upload(me->caller, upload);
    if (!stored) {
      return api::ProblemFromError(stored.error());
    }
    return api::Json(201, json::object{{"id", stored->id}});
  });
}

}  // namespace simexit::web
