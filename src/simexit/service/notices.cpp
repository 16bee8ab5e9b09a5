#include "simexit/service/notices.hpp"

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
  static const Template kReceived{
      "Your request to close {msisdn} was received (no. {id}).",
      "Заявка на закрытие номера {msisdn} принята (№ {id}).",
      "{msisdn} нөмірін жабу өтінімі қабылданды (№ {id}).",
      "已收到注销号码 {msisdn} 的申请（编号 {id}）。"};
  static const Template kScheduled{
      "Line {msisdn} will be closed on {date}. You can cancel until then.",
      "Номер {msisdn} будет закрыт {date}. До этого заявку можно отменить.",
      "{msisdn} нөмірі {date} жабылады. Оған дейін өтінімді болдырмауға болады.",
      "号码 {msisdn} 将于 {date} 注销，此前可取消。"};
  static const Template kAwaitingPayment{
      "To close {msisdn}, please pay {amount} KZT.",
      "Для закрытия номера {msisdn} оплатите {amount} тг.",
      "{msisdn} нөмірін жабу үшін {amount} тг төлеңіз.",
      "注销号码 {msisdn} 需支付 {amount} 坚戈。"};
  static const Template kTerminated{
      "Line {msisdn} is closed. Certificate {serial}: {url}",
      "Номер {msisdn} закрыт. Справка {serial}: {url}",
      "{msisdn} нөмірі жабылды. Анықтама {serial}: {url}",
      "号码 {msisdn} 已注销。证明 {serial}：{url}"};
  static const Template kCancelled{
      "Your request to close {msisdn} was cancelled. The line stays active.",
      "Заявка на закрытие номера {msisdn} отменена. Номер остаётся активным.",
      "{msisdn} нөмірін жабу өтінімі болдырылмады. Нөмір белсенді болып қалады.",
      "号码 {msisdn} 的注销申请已取消，号码继续有效。"};
  static const Template kRejected{
      "Your request to close {msisdn} was declined: {reason}",
      "Заявка на закрытие номера {msisdn} отклонена: {reason}",
      "{msisdn} нөмірін жабу өтінімі қабылданбады: {reason}",
      "号码 {msisdn} 的注销申请被拒绝：{reason}"};
  switch (notice) {
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

}  // namespace

const char* ToString(Notice notice) {
  switch (notice) {
    case Notice::kSignInCode:
      return "sign_in_code";
    case Notice::kReceived:
      return "termination_received";
    case Notice::kScheduled:
      return "termination_scheduled";
    case Notice::kAwaitingPayment:
      return "termination_awaiting_payment";
    case Notice::kTerminated:
      return "terminated";
    case Notice::kCancelled:
      return "termination_cancelled";
    case Notice::kRejected:
      return "termination_rejected";
  }
  return "unknown";
}

std::string RenderNotice(Notice notice, const std::string& language,
                         const std::map<std::string, std::string>& params) {
  const Template& t = TemplateFor(notice);
  std::string text = language == "en"   ? t.en
                     : language == "kk" ? t.kk
                     : language == "zh" ? t.zh
                                        : t.ru;
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
