#include "simexit/domain/notices.hpp"

#include <algorithm>

#include "simexit/common/enum_names.hpp"
#include "simexit/domain/language.hpp"

namespace simexit {
namespace {

struct Template {
  const char* en;
  const char* ru;
  const char* kk;
  const char* zh;
};

const Template& TemplateFor(Notice notice) {
  static const Template kSignIn{
      "simexit code: {code}. Valid {minutes} min. Do not share it.",
      "Код simexit: {code}. Действует {minutes} мин. Никому не сообщайте.",
      "simexit коды: {code}. {minutes} мин жарамды. Ешкімге айтпаңыз.",
      "simexit 验证码：{code}，{minutes}分钟内有效。请勿告诉他人。"};
  static const Template kReceived{"Your request to close {msisdn} was received (no. {id}).",
                                  "Заявка на закрытие номера {msisdn} принята (№ {id}).",
                                  "{msisdn} нөмірін жабу өтінімі қабылданды (№ {id}).",
                                  "已收到注销号码 {msisdn} 的申请（编号 {id}）。"};
  static const Template kScheduled{
      "Line {msisdn} will be closed on {date}. You can cancel until then.",
      "Номер {msisdn} будет закрыт {date}. До этого заявку можно отменить.",
      "{msisdn} нөмірі {date} жабылады. Оған дейін өтінімді болдырмауға болады.",
      "号码 {msisdn} 将于 {date} 注销，此前可取消。"};
  static const Template kAwaitingPayment{"To close {msisdn}, please pay {amount} KZT.",
                                         "Для закрытия номера {msisdn} оплатите {amount} тг.",
                                         "{msisdn} нөмірін жабу үшін {amount} тг төлеңіз.",
                                         "注销号码 {msisdn} 需支付 {amount} 坚戈。"};
  static const Template kTerminated{"Line {msisdn} is closed. Certificate {serial}: {url}",
                                    "Номер {msisdn} закрыт. Справка {serial}: {url}",
                                    "{msisdn} нөмірі жабылды. Анықтама {serial}: {url}",
                                    "号码 {msisdn} 已注销。证明 {serial}：{url}"};
  static const Template kCancelled{
      "Your request to close {msisdn} was cancelled. The line stays active.",
      "Заявка на закрытие номера {msisdn} отменена. Номер остаётся активным.",
      "{msisdn} нөмірін жабу өтінімі болдырылмады. Нөмір белсенді болып қалады.",
      "号码 {msisdn} 的注销申请已取消，号码继续有效。"};
  static const Template kRejected{"Your request to close {msisdn} was declined: {reason}",
                                  "Заявка на закрытие номера {msisdn} отклонена: {reason}",
                                  "{msisdn} нөмірін жабу өтінімі қабылданбады: {reason}",
                                  "号码 {msisdn} 的注销申请被拒绝：{reason}"};
  static const Template kReminder{
      "Reminder: line {msisdn} will be closed tomorrow, {date}. Cancel before then to keep it.",
      "Напоминание: номер {msisdn} будет закрыт завтра, {date}. Чтобы сохранить его, отмените "
      "заявку.",
      "Еске салу: {msisdn} нөмірі ертең, {date}, жабылады. Сақтау үшін өтінімді болдырмаңыз.",
      "提醒：号码 {msisdn} 将于明天（{date}）注销。如需保留，请在此之前取消。"};
  static const Template kDormancyWarning{
      "Line {msisdn} has had no paid activity for a long time and will be closed on {date} "
      "unless it is used.",
      "По номеру {msisdn} давно нет платных действий. Он будет закрыт {date}, если им не "
      "воспользоваться.",
      "{msisdn} нөмірінде ұзақ уақыт ақылы әрекет болмады. Пайдаланбасаңыз, ол {date} жабылады.",
      "号码 {msisdn} 长期无付费使用，如不使用将于 {date} 注销。"};
  static const Template kDormancyFinal{"Final notice: line {msisdn} will be closed on {date}.",
                                       "Последнее уведомление: номер {msisdn} будет закрыт {date}.",
                                       "Соңғы ескерту: {msisdn} нөмірі {date} жабылады.",
                                       "最后通知：号码 {msisdn} 将于 {date} 注销。"};
  static const Template kConfirmRequest{
      "To close {msisdn} as asked by phone, open {url} or give code {code} to the "
      "operator within {minutes} min. Ignore this if you did not ask.",
      "Для закрытия номера {msisdn} по звонку подтвердите: {url} или код {code} оператору, "
      "{minutes} мин. Если вы не просили, ничего не делайте.",
      "{msisdn} нөмірін жабуды растаңыз: {url} немесе операторға {code} коды, {minutes} мин. "
      "Сұрамаған болсаңыз, ештеңе істемеңіз.",
      "如需按电话申请注销号码 {msisdn}，请在{minutes}分钟内打开 {url} 或向客服提供验证码 {code}。"
      "如非本人申请，请忽略。"};
  static const Template kApproved{"Your request to close {msisdn} was approved (no. {id}).",
                                  "Заявка на закрытие номера {msisdn} одобрена (№ {id}).",
                                  "{msisdn} нөмірін жабу өтінімі мақұлданды (№ {id}).",
                                  "号码 {msisdn} 的注销申请已批准（编号 {id}）。"};
  switch (notice) {
    case Notice::kConfirmRequest:
      return kConfirmRequest;
    case Notice::kApproved:
      return kApproved;
    case Notice::kReminder:
      return kReminder;
    case Notice::kDormancyWarning:
      return kDormancyWarning;
    case Notice::kDormancyFinal:
      return kDormancyFinal;
    case Notice::kRejected:
      return kRejected;
    case Notice::kSignInCode:
      return kSignIn;
    case Notice::kReceived:
      return kReceived;
    case Notice::kScheduled:
      return kScheduled;
    case Notice::kAwaitingPayment:
      return kAwaitingPayment;
    case Notice::kTerminated:
      return kTerminated;
    case Notice::kCancelled:
      return kCancelled;
  }
  return kReceived;
}

// The names of the notices, as operators write them in sms_templates.
constexpr EnumNames<Notice, 12> kNoticeNames{{{
    {Notice::kSignInCode, "sign_in_code"},
    {Notice::kReceived, "termination_received"},
    {Notice::kScheduled, "termination_scheduled"},
    {Notice::kAwaitingPayment, "termination_awaiting_payment"},
    {Notice::kTerminated, "terminated"},
    {Notice::kCancelled, "termination_cancelled"},
    {Notice::kRejected, "termination_rejected"},
    {Notice::kReminder, "termination_reminder"},
    {Notice::kDormancyWarning, "dormancy_warning"},
    {Notice::kDormancyFinal, "dormancy_final"},
    {Notice::kConfirmRequest, "phone_request_confirmation"},
    {Notice::kApproved, "termination_approved"},
}}};

const char* TextIn(const Template& t, Language language) {
  switch (language) {
    case Language::kZh:
      return t.zh;
    case Language::kEn:
      return t.en;
    case Language::kRu:
      return t.ru;
    case Language::kKk:
      return t.kk;
  }
  return t.ru;
}

}  // namespace

const char* ToString(Notice notice) { return kNoticeNames.Name(notice); }

std::vector<Notice> AllNotices() {
  std::vector<Notice> all;
  for (const auto& entry : kNoticeNames.entries()) {
    all.push_back(entry.value);
  }
  return all;
}

std::optional<Notice> ParseNotice(std::string_view name) { return kNoticeNames.Parse(name); }

std::vector<std::string> NoticePlaceholders(Notice notice) {
  switch (notice) {
    case Notice::kSignInCode:
      return {"code", "minutes"};
    case Notice::kReceived:
      return {"msisdn", "id"};
    case Notice::kScheduled:
    case Notice::kReminder:
    case Notice::kDormancyWarning:
    case Notice::kDormancyFinal:
      return {"msisdn", "id", "date"};
    case Notice::kAwaitingPayment:
      return {"msisdn", "id", "amount"};
    case Notice::kTerminated:
      return {"msisdn", "id", "serial", "url"};
    case Notice::kCancelled:
    case Notice::kApproved:
      return {"msisdn", "id"};
    case Notice::kConfirmRequest:
      return {"msisdn", "id", "code", "minutes", "url"};
    case Notice::kRejected:
      return {"msisdn", "id", "reason"};
  }
  return {};
}

bool IsNoticeLanguage(std::string_view language) { return ParseLanguage(language).has_value(); }

Result<void> ValidateNoticeTemplates(const NoticeTemplates& templates) {
  auto bad = [](const std::string& message) {
    return Fail(ErrorCode::kInvalidArgument, "invalid_policy", message);
  };
  for (const auto& [name, by_language] : templates) {
    std::optional<Notice> notice = ParseNotice(name);
    if (!notice) {
      return bad("sms_templates." + name + " is not a known notice");
    }
    const std::vector<std::string> allowed = NoticePlaceholders(*notice);
    for (const auto& [language, text] : by_language) {
      const std::string key = "sms_templates." + name + "." + language;
      if (!IsNoticeLanguage(language)) {
        return bad("sms_templates." + name + ": language " + language + " is not one of " +
                   kLanguageNames.List());
      }
      if (text.empty() || text.size() > 1000) {
        return bad(key + " must be 1 to 1000 bytes");
      }
      for (std::size_t open = text.find('{'); open != std::string::npos;
           open = text.find('{', open + 1)) {
        const std::size_t close = text.find('}', open);
        if (close == std::string::npos) {
          return bad(key + " has an unclosed {");
        }
        const std::string placeholder = text.substr(open + 1, close - open - 1);
        if (std::find(allowed.begin(), allowed.end(), placeholder) == allowed.end()) {
          return bad(key + " uses unknown placeholder {" + placeholder + "}");
        }
      }
      if ((*notice == Notice::kSignInCode || *notice == Notice::kConfirmRequest) &&
          text.find("{code}") == std::string::npos) {
        return bad(key + " must contain {code}");
      }
    }
  }
  return {};
}

std::string RenderNotice(Notice notice, const std::string& language,
                         const std::map<std::string, std::string>& params,
                         const NoticeTemplates& overrides) {
  const Template& t = TemplateFor(notice);
  std::string text = TextIn(t, ParseLanguage(language).value_or(kFallbackLanguage));
  if (auto by_notice = overrides.find(ToString(notice)); by_notice != overrides.end()) {
    if (auto own = by_notice->second.find(language); own != by_notice->second.end()) {
      text = own->second;
    }
  }
  std::string out;
  out.reserve(text.size() + 32);
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '{') {
      const std::size_t close = text.find('}', i);
      if (close != std::string::npos) {
        const auto it = params.find(text.substr(i + 1, close - i - 1));
        if (it != params.end()) {
          out += it->second;
          i = close + 1;
          continue;
        }
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace simexit
