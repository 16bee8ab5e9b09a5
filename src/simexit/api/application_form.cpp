#include "simexit/api/application_form.hpp"

#include <map>

#include "simexit/common/time_zone.hpp"

namespace simexit::api {
namespace {

struct Label {
  const char* en;
  const char* ru;
  const char* kk;
  const char* zh;
};

const std::map<std::string, Label>& Labels() {
  static const std::map<std::string, Label> labels = {
      {"title",
       {"Application to close a mobile line", "Заявление о закрытии абонентского номера",
        "Абоненттік нөмірді жабу туралы өтініш", "移动号码注销申请表"}},
      {"request", {"Request", "Заявка", "Өтінім", "申请编号"}},
      {"date", {"Date", "Дата", "Күні", "日期"}},
      {"channel", {"Channel", "Канал", "Арна", "渠道"}},
      {"operator", {"Operator", "Оператор", "Оператор", "运营商"}},
      {"holder", {"Holder", "Абонент", "Абонент", "登记人"}},
      {"full_name", {"Full name", "ФИО", "Аты-жөні", "姓名"}},
      {"document", {"Document", "Документ", "Құжат", "证件"}},
      {"expires", {"valid until", "действителен до", "жарамдылық мерзімі", "有效期至"}},
      {"line", {"Line", "Номер", "Нөмір", "号码"}},
      {"msisdn", {"Number", "Номер телефона", "Телефон нөмірі", "电话号码"}},
      {"iccid", {"SIM (ICCID)", "SIM (ICCID)", "SIM (ICCID)", "SIM卡号 (ICCID)"}},
      {"attorney", {"Attorney", "Представитель", "Өкіл", "代理人"}},
      {"poa", {"Power of attorney", "Доверенность", "Сенімхат", "授权委托书"}},
      {"issuer", {"issued by", "выдана", "берген", "出具方"}},
      {"settlement",
       {"Settlement (KZT)", "Расчёт (тенге)", "Есеп айырысу (теңге)", "结算（坚戈）"}},
      {"outstanding_charges", {"Outstanding charges", "Задолженность", "Берешек", "未结费用"}},
      {"fee", {"Closing fee", "Плата за закрытие", "Жабу ақысы", "注销费"}},
      {"main_balance", {"Main balance", "Основной баланс", "Негізгі баланс", "主余额"}},
      {"amount_due", {"To pay", "К оплате", "Төлеуге", "应付金额"}},
      {"refund", {"Refund", "Возврат", "Қайтару", "退款"}},
      {"forfeited_bonus",
       {"Bonus balance (not refunded)", "Бонусный баланс (не возвращается)",
        "Бонустық баланс (қайтарылмайды)", "赠送余额（不退还）"}},
      {"refund_to", {"Refund to", "Возврат на", "Қайтару", "退款至"}},
      {"scheduled", {"Close on", "Дата закрытия", "Жабу күні", "注销日期"}},
      {"declaration",
       {"I ask to close the line above and end the service contract for it. The settlement "
        "above is correct.",
        "Прошу закрыть указанный номер и расторгнуть договор об оказании услуг связи по нему. "
        "С расчётом согласен(на).",
        "Жоғарыдағы нөмірді жабуды және ол бойынша байланыс қызметтері шартын бұзуды сұраймын. "
        "Есеп айырысумен келісемін.",
        "本人申请注销上述号码并解除相应服务合同，确认上述结算无误。"}},
      {"signature_holder",
       {"Signature of the applicant", "Подпись заявителя", "Өтініш берушінің қолы", "申请人签名"}},
      {"signature_agent",
       {"Accepted by (operator staff)", "Принял (сотрудник оператора)",
        "Қабылдаған (оператор қызметкері)", "受理人（运营商员工）"}},
      {"print", {"Print", "Печать", "Басып шығару", "打印"}},
      {"confirm_title",
       {"Confirm closing your line", "Подтвердите закрытие номера", "Нөмірді жабуды растаңыз",
        "确认注销号码"}},
      {"confirm_text",
       {"An operator's agent asked by phone to close your line. Confirm only if it was you.",
        "Сотрудник оператора по телефону оформил заявку на закрытие вашего номера. "
        "Подтвердите, только если это были вы.",
        "Оператор қызметкері телефон арқылы нөміріңізді жабу өтінімін ресімдеді. Бұл сіз болсаңыз "
        "ғана растаңыз.",
        "运营商客服通过电话为您提交了号码注销申请。仅在确系本人申请时确认。"}},
      {"confirm_button",
       {"Yes, close my line", "Да, закрыть номер", "Иә, нөмірді жабу", "是的，注销我的号码"}},
      {"confirmed",
       {"Thank you: your request is confirmed. You will get an SMS as it progresses.",
        "Спасибо: заявка подтверждена. О ходе её выполнения придут SMS.",
        "Рахмет: өтінім расталды. Барысы туралы SMS келеді.",
        "谢谢：申请已确认，进展将以短信通知。"}},
      {"refused",
       {"This link no longer works", "Ссылка больше не действует", "Сілтеме енді жұмыс істемейді",
        "此链接已失效"}},
  };
  return labels;
}

std::string L(const std::string& key, const std::string& language) {
  const Label& l = Labels().at(key);
  if (language == "ru") return l.ru;
  if (language == "kk") return l.kk;
  if (language == "zh") return l.zh;
  return l.en;
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
  if (!d.country.empty() && d.kind != DocumentKind::kIin) text += " (" + d.country + ")";
  if (!d.expiry_date.empty()) text += ", " + L("expires", language) + " " + d.expiry_date;
  return text;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string ApplicationFormHtml(const ApplicationForm& form, const std::string& language) {
  const TerminationRecord& t = form.termination;
  const std::string zone = form.holder.time_zone.empty() ? "Asia/Almaty" : form.holder.time_zone;
  std::string html = "<!doctype html><html lang=\"" + language +
                     "\"><head><meta charset=\"utf-8\"><title>" + HtmlEscape(L("title", language)) +
                     " " + HtmlEscape(t.id) + "</title>" + kStyle + "</head><body>";
  html += "<p class=\"noprint\"><button onclick=\"window.print()\">" +
          HtmlEscape(L("print", language)) + "</button></p>";
  html += "<h1>" + HtmlEscape(L("title", language)) + "</h1><table>";
  html += Row(L("operator", language), form.op.name);
  html += Row(L("request", language), t.id);
  html += Row(L("date", language), FormatDateInZone(t.created_at, zone));
  html += Row(L("channel", language), ToString(t.channel));
  if (t.scheduled_for)
    html += Row(L("scheduled", language), FormatDateInZone(*t.scheduled_for, zone));
  html += "</table><h2>" + HtmlEscape(L("holder", language)) + "</h2><table>";
  html += Row(L("full_name", language), form.holder.full_name);
  const DocumentCheckRecord* holder_doc = nullptr;
  const DocumentCheckRecord* attorney_doc = nullptr;
  for (const DocumentCheckRecord& d : form.documents) {
    if (d.role == "holder") holder_doc = &d;
    if (d.role == "attorney") attorney_doc = &d;
  }
  if (holder_doc != nullptr) {
    html += Row(L("document", language), DocumentText(*holder_doc, language));
  } else {
    html += Row(L("document", language), std::string(ToString(form.holder.document_kind)) + " " +
                                             form.holder.document_number);
  }
  html += Row(L("msisdn", language), t.msisdn);
  html += Row(L("iccid", language), form.line.iccid);
  html += "</table>";
  if (attorney_doc != nullptr || form.power_of_attorney) {
    html += "<h2>" + HtmlEscape(L("attorney", language)) + "</h2><table>";
    if (attorney_doc != nullptr) {
      html += Row(L("full_name", language), attorney_doc->full_name);
      html += Row(L("document", language), DocumentText(*attorney_doc, language));
    }
    if (form.power_of_attorney) {
      const PowerOfAttorneyRecord& p = *form.power_of_attorney;
      html += Row(L("poa", language), p.number + ", " + p.issued_on + " – " + p.valid_until + ", " +
                                          L("issuer", language) + " " + p.issuer);
    }
    html += "</table>";
  }
  const SettlementQuote& q = form.quote;
  html += "<h2>" + HtmlEscape(L("settlement", language)) + "</h2><table>";
  html += Row(L("outstanding_charges", language), q.outstanding_charges.ToDecimalString());
  html += Row(L("fee", language), q.fee.ToDecimalString());
  html += Row(L("main_balance", language), q.main_balance.ToDecimalString());
  html += Row(L("forfeited_bonus", language), q.forfeited_bonus.ToDecimalString());
  html += Row(L("amount_due", language), q.amount_due.ToDecimalString());
  html += Row(L("refund", language), q.refund.ToDecimalString());
  if (t.refund) {
    html += Row(L("refund_to", language),
                std::string(ToString(t.refund->method)) + " " + t.refund->destination);
  }
  html += "</table><p>" + HtmlEscape(L("declaration", language)) + "</p>";
  html += "<div class=\"sig\"><div>" + HtmlEscape(L("signature_holder", language)) + "</div><div>" +
          HtmlEscape(L("signature_agent", language)) + " " + HtmlEscape(t.requested_by) +
          "</div></div>";
  html += "</body></html>\n";
  return html;
}

std::string ConfirmPageHtml(const std::string& language, const std::string& token,
                            const std::optional<std::string>& outcome) {
  std::string html = "<!doctype html><html lang=\"" + language +
                     "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
                     "content=\"width=device-width, initial-scale=1\"><title>" +
                     HtmlEscape(L("confirm_title", language)) + "</title>" + kStyle +
                     "</head><body><h1>" + HtmlEscape(L("confirm_title", language)) + "</h1>";
  if (!outcome) {
    html += "<p>" + HtmlEscape(L("confirm_text", language)) + "</p>";
    html += "<form method=\"post\" action=\"/confirm/" + HtmlEscape(token) + "?lang=" + language +
            "\"><button type=\"submit\">" + HtmlEscape(L("confirm_button", language)) +
            "</button></form>";
  } else if (*outcome == "confirmed") {
    html += "<p id=\"outcome\" data-code=\"confirmed\">" + HtmlEscape(L("confirmed", language)) +
            "</p>";
  } else {
    html += "<p id=\"outcome\" data-code=\"" + HtmlEscape(*outcome) + "\">" +
            HtmlEscape(L("refused", language)) + " (" + HtmlEscape(*outcome) + ")</p>";
  }
  html += "</body></html>\n";
  return html;
}

}  // namespace simexit::api
