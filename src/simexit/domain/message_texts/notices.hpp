#pragma once
// Part of the message catalogue (domain/message_texts.hpp): Review reasons (SMS and pages) and the
// SMS notices (the names operators use in sms_templates).

#include "simexit/domain/message_text.hpp"

namespace simexit::message_texts {

inline constexpr MessageText kNoticeTexts[] = {
    // ------------------------------------------------ review reasons (SMS and pages)
    {"review_reason.document_mismatch", "the document does not match the line's owner",
     "документ не совпадает с владельцем номера", "құжат нөмір иесіне сәйкес келмейді",
     "证件与号码登记人不符"},
    {"review_reason.document_unreadable", "the document copy cannot be read",
     "копия документа нечитаема", "құжат көшірмесі оқылмайды", "证件复印件无法辨认"},
    {"review_reason.power_of_attorney_invalid", "the power of attorney is not valid",
     "доверенность недействительна", "сенімхат жарамсыз", "授权委托书无效"},
    {"review_reason.holder_not_reachable", "we could not reach the line's owner",
     "не удалось связаться с владельцем номера", "нөмір иесімен байланысу мүмкін болмады",
     "无法联系号码登记人"},
    {"review_reason.suspected_fraud", "the request could not be confirmed as yours",
     "не удалось подтвердить, что заявка ваша", "өтінімнің сіздікі екені расталмады",
     "无法确认该申请由您本人提出"},
    {"review_reason.duplicate_request", "another request for this line is already handled",
     "по номеру уже есть другая заявка", "бұл нөмір бойынша басқа өтінім бар",
     "该号码已有其他申请在处理"},
    {"review_reason.other", "see the operator's explanation", "см. пояснение оператора",
     "оператордың түсіндірмесін қараңыз", "请查看运营商的说明"},

    // ------------------------------------------------ SMS notices
    {"notice.sign_in_code", "simexit code: {code}. Valid {minutes} min. Do not share it.",
     "Код simexit: {code}. Действует {minutes} мин. Никому не сообщайте.",
     "simexit коды: {code}. {minutes} мин жарамды. Ешкімге айтпаңыз.",
     "simexit 验证码：{code}，{minutes}分钟内有效。请勿告诉他人。"},
    {"notice.termination_received", "Your request to close {msisdn} was received (no. {id}).",
     "Заявка на закрытие номера {msisdn} принята (№ {id}).",
     "{msisdn} нөмірін жабу өтінімі қабылданды (№ {id}).",
     "已收到注销号码 {msisdn} 的申请（编号 {id}）。"},
    {"notice.termination_scheduled",
     "Line {msisdn} will be closed on {date}. You can cancel until then.",
     "Номер {msisdn} будет закрыт {date}. До этого заявку можно отменить.",
     "{msisdn} нөмірі {date} жабылады. Оған дейін өтінімді болдырмауға болады.",
     "号码 {msisdn} 将于 {date} 注销，此前可取消。"},
    {"notice.termination_awaiting_payment", "To close {msisdn}, please pay {amount} KZT.",
     "Для закрытия номера {msisdn} оплатите {amount} тг.",
     "{msisdn} нөмірін жабу үшін {amount} тг төлеңіз.", "注销号码 {msisdn} 需支付 {amount} 坚戈。"},
    {"notice.terminated", "Line {msisdn} is closed. Certificate {serial}: {url}",
     "Номер {msisdn} закрыт. Справка {serial}: {url}",
     "{msisdn} нөмірі жабылды. Анықтама {serial}: {url}",
     "号码 {msisdn} 已注销。证明 {serial}：{url}"},
    {"notice.termination_cancelled",
     "Your request to close {msisdn} was cancelled. The line stays active.",
     "Заявка на закрытие номера {msisdn} отменена. Номер остаётся активным.",
     "{msisdn} нөмірін жабу өтінімі болдырылмады. Нөмір белсенді болып қалады.",
     "号码 {msisdn} 的注销申请已取消，号码继续有效。"},
    {"notice.termination_rejected", "Your request to close {msisdn} was declined: {reason}",
     "Заявка на закрытие номера {msisdn} отклонена: {reason}",
     "{msisdn} нөмірін жабу өтінімі қабылданбады: {reason}",
     "号码 {msisdn} 的注销申请被拒绝：{reason}"},
    {"notice.termination_reminder",
     "Reminder: line {msisdn} will be closed tomorrow, {date}. Cancel before then to keep it.",
     "Напоминание: номер {msisdn} будет закрыт завтра, {date}. Чтобы сохранить его, отмените "
     "заявку.",
     "Еске салу: {msisdn} нөмірі ертең, {date}, жабылады. Сақтау үшін өтінімді болдырмаңыз.",
     "提醒：号码 {msisdn} 将于明天（{date}）注销。如需保留，请在此之前取消。"},
    {"notice.dormancy_warning",
     "Line {msisdn} has had no paid activity for a long time and will be closed on {date} unless "
     "it is used. To keep it, sign in at {url}",
     "По номеру {msisdn} давно нет платных действий. Он будет закрыт {date}, если им не "
     "воспользоваться. Чтобы сохранить номер, войдите: {url}",
     "{msisdn} нөмірінде ұзақ уақыт ақылы әрекет болмады. Пайдаланбасаңыз, ол {date} жабылады. "
     "Нөмірді сақтау үшін кіріңіз: {url}",
     "号码 {msisdn} 长期无付费使用，如不使用将于 {date} 注销。如需保留，请登录 {url}"},
    {"notice.dormancy_final",
     "Final notice: line {msisdn} will be closed on {date}. To keep it, sign in at {url}",
     "Последнее уведомление: номер {msisdn} будет закрыт {date}. Чтобы сохранить номер, войдите: "
     "{url}",
     "Соңғы ескерту: {msisdn} нөмірі {date} жабылады. Нөмірді сақтау үшін кіріңіз: {url}",
     "最后通知：号码 {msisdn} 将于 {date} 注销。如需保留，请登录 {url}"},
    {"notice.phone_request_confirmation",
     "To close {msisdn} as asked by phone, open {url} or give code {code} to the operator within "
     "{minutes} min. Ignore this if you did not ask.",
     "Для закрытия номера {msisdn} по звонку подтвердите: {url} или код {code} оператору, "
     "{minutes} мин. Если вы не просили, ничего не делайте.",
     "{msisdn} нөмірін жабуды растаңыз: {url} немесе операторға {code} коды, {minutes} мин. "
     "Сұрамаған болсаңыз, ештеңе істемеңіз.",
     "如需按电话申请注销号码 {msisdn}，请在{minutes}分钟内打开 {url} 或向客服提供验证码 {code}。"
     "如非本人申请，请忽略。"},
    {"notice.termination_approved", "Your request to close {msisdn} was approved (no. {id}).",
     "Заявка на закрытие номера {msisdn} одобрена (№ {id}).",
     "{msisdn} нөмірін жабу өтінімі мақұлданды (№ {id}).",
     "号码 {msisdn} 的注销申请已批准（编号 {id}）。"},
    {"notice.line_reactivated", "Line {msisdn} is yours again and active (no. {id}).",
     "Номер {msisdn} снова ваш и активен (№ {id}).",
     "{msisdn} нөмірі қайтадан сіздікі және белсенді (№ {id}).",
     "号码 {msisdn} 已恢复，重新归您使用（编号 {id}）。"},
};

}  // namespace simexit::message_texts
