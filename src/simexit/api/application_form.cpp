#include "simexit/api/application_form.hpp"

#include "simexit/common/time_zone.hpp"
#include "simexit/domain/messages.hpp"
#include "simexit/web/html.hpp"

namespace simexit::api {
namespace {

std::string L(MessageKey key, const std::string& language) {
  return std::string(Text(key, ParseLanguage(language).value_or(Language::kEn)));
}

constexpr const char* kStyle =
    "<style>body{font-family:system-ui,sans-serif;max-width:48rem;margin:1.5rem auto;"
    "padding:0 1rem;color:#111;line-height:1.4}h1{font-size:1.35rem}"
    "table{border-collapse:collapse;width:100%;margin:.4rem 0 1rem}"
    "th,td{border:1px solid #999;padding:.3rem .5rem;text-align:left;vertical-align:top}"
    "th{width:38%;background:#f2f2f2;font-weight:600}.sig{display:flex;gap:2rem;margin-top:2rem}"
    ".sig div{flex:1;border-top:1px solid #000;padding-top:.3rem;min-height:4rem}"
    "button{font-size:1rem;padding:.5rem 1rem}@media print{.noprint{display:none}}</style>";

std::string Row(const std::string& label, const std::string& value) {
  return "<tr><th>" + HtmlEscape(label) + "</th><td>" + HtmlEscape(value) + "</td></tr>";
}

std::string DocumentText(const DocumentCheckRecord& d, const std::string& language) {
  std::string text = std::string(ToString(d.kind)) + " " + d.number;
  if (!d.country.empty() && d.kind != DocumentKind::kIin) {
    text += " (" + d.country + ")";
  }
  if (d.expiry_date) {
    text += ", " + L("form.expires", language) + " " + d.expiry_date->ToString();
  }
  return text;
}

}  // namespace

std::string HtmlEscape(std::string_view text) { return web::EscapeHtml(text); }

std::string ApplicationFormHtml(const ApplicationForm& form, const std::string& language) {
  const TerminationRecord& t = form.termination;
  const std::string zone = form.holder.time_zone.empty() ? "Asia/Almaty" : form.holder.time_zone;
  std::string html = "<!doctype html><html lang=\"" + language +
                     "\"><head><meta charset=\"utf-8\"><title>" +
                     HtmlEscape(L("form.title", language)) + " " + HtmlEscape(t.id) + "</title>" +
                     kStyle + "</head><body>";
  html += "<p class=\"noprint\"><button onclick=\"window.print()\">" +
          HtmlEscape(L("form.print", language)) + "</button></p>";
  html += "<h1>" + HtmlEscape(L("form.title", language)) + "</h1><table>";
  html += Row(L("form.operator", language), form.op.name);
  html += Row(L("form.request", language), t.id);
  html += Row(L("form.date", language), FormatDateInZone(t.created_at, zone));
  html += Row(L("form.channel", language), ToString(t.channel));
  if (t.scheduled_for) {
    html += Row(L("form.scheduled", language), FormatDateInZone(*t.scheduled_for, zone));
  }
  html += "</table><h2>" + HtmlEscape(L("form.holder", language)) + "</h2><table>";
  html += Row(L("form.full_name", language), form.holder.full_name);
  const DocumentCheckRecord* holder_doc = nullptr;
  const DocumentCheckRecord* attorney_doc = nullptr;
  for (const DocumentCheckRecord& d : form.documents) {
    if (d.role == "holder") {
      holder_doc = &d;
    }
    if (d.role == "attorney") {
      attorney_doc = &d;
    }
  }
  if (holder_doc != nullptr) {
    html += Row(L("form.document", language), DocumentText(*holder_doc, language));
  } else {
    html += Row(L("form.document", language), std::string(ToString(form.holder.document_kind)) +
                                                  " " + form.holder.document_number);
  }
  html += Row(L("form.msisdn", language), t.msisdn.e164());
  html += Row(L("form.iccid", language), form.line.iccid.digits());
  html += "</table>";
  if (attorney_doc != nullptr || form.power_of_attorney) {
    html += "<h2>" + HtmlEscape(L("form.attorney", language)) + "</h2><table>";
    if (attorney_doc != nullptr) {
      html += Row(L("form.full_name", language), attorney_doc->full_name);
      html += Row(L("form.document", language), DocumentText(*attorney_doc, language));
    }
    if (form.power_of_attorney) {
      const PowerOfAttorneyRecord& p = *form.power_of_attorney;
      html += Row(L("form.poa", language), p.number + ", " + p.issued_on.ToString() + " – " +
                                               p.valid_until.ToString() + ", " +
                                               L("form.issuer", language) + " " + p.issuer);
    }
    html += "</table>";
  }
  const SettlementQuote& q = form.quote;
  html += "<h2>" + HtmlEscape(L("form.settlement", language)) + "</h2><table>";
  html += Row(L("form.outstanding_charges", language), q.outstanding_charges.ToDecimalString());
  html += Row(L("form.fee", language), q.fee.ToDecimalString());
  html += Row(L("form.main_balance", language), q.main_balance.ToDecimalString());
  html += Row(L("form.forfeited_bonus", language), q.forfeited_bonus.ToDecimalString());
  html += Row(L("form.amount_due", language), q.amount_due.ToDecimalString());
  html += Row(L("form.refund", language), q.refund.ToDecimalString());
  if (t.refund) {
    html += Row(L("form.refund_to", language),
                std::string(ToString(t.refund->method)) + " " + t.refund->destination);
  }
  html += "</table><p>" + HtmlEscape(L("form.declaration", language)) + "</p>";
  html += "<div class=\"sig\"><div>" + HtmlEscape(L("form.signature_holder", language)) +
          "</div><div>" + HtmlEscape(L("form.signature_agent", language)) + " " +
          HtmlEscape(t.requested_by) + "</div></div>";
  html += "</body></html>\n";
  return html;
}

}  // namespace simexit::api
