#pragma once
// Part of the message catalogue (domain/message_texts.hpp): The printed application form, the
// certificate PDF and public verify page, and the phone request confirmation page.

#include "simexit/domain/message_text.hpp"

namespace simexit::message_texts {

inline constexpr MessageText kDocumentTexts[] = {
    // ------------------------------------------------ printed application form
    {"form.title", "Application to close a mobile line", "Заявление о закрытии абонентского номера",
     "Абоненттік нөмірді жабу туралы өтініш", "移动号码注销申请表"},
    {"form.request", "Request", "Заявка", "Өтінім", "申请编号"},
    {"form.date", "Date", "Дата", "Күні", "日期"},
    {"form.channel", "Channel", "Канал", "Арна", "渠道"},
    {"form.operator", "Operator", "Оператор", "Оператор", "运营商"},
    {"form.holder", "Holder", "Абонент", "Абонент", "登记人"},
    {"form.full_name", "Full name", "ФИО", "Аты-жөні", "姓名"},
    {"form.document", "Document", "Документ", "Құжат", "证件"},
    {"form.expires", "valid until", "действителен до", "жарамдылық мерзімі", "有效期至"},
    {"form.line", "Line", "Номер", "Нөмір", "号码"},
    {"form.msisdn", "Number", "Номер телефона", "Телефон нөмірі", "电话号码"},
    {"form.iccid", "SIM (ICCID)", "SIM (ICCID)", "SIM (ICCID)", "SIM卡号 (ICCID)"},
    {"form.attorney", "Attorney", "Представитель", "Өкіл", "代理人"},
    {"form.poa", "Power of attorney", "Доверенность", "Сенімхат", "授权委托书"},
    {"form.issuer", "issued by", "выдана", "берген", "出具方"},
    {"form.settlement", "Settlement (KZT)", "Расчёт (тенге)", "Есеп айырысу (теңге)",
     "结算（坚戈）"},
    {"form.outstanding_charges", "Outstanding charges", "Задолженность", "Берешек", "未结费用"},
    {"form.fee", "Closing fee", "Плата за закрытие", "Жабу ақысы", "注销费"},
    {"form.main_balance", "Main balance", "Основной баланс", "Негізгі баланс", "主余额"},
    {"form.amount_due", "To pay", "К оплате", "Төлеуге", "应付金额"},
    {"form.refund", "Refund", "Возврат", "Қайтару", "退款"},
    {"form.forfeited_bonus", "Bonus balance (not refunded)", "Бонусный баланс (не возвращается)",
     "Бонустық баланс (қайтарылмайды)", "赠送余额（不退还）"},
    {"form.refund_to", "Refund to", "Возврат на", "Қайтару", "退款至"},
    {"form.scheduled", "Close on", "Дата закрытия", "Жабу күні", "注销日期"},
    {"form.declaration",
     "I ask to close the line above and end the service contract for it. The settlement above is "
     "correct.",
     "Прошу закрыть указанный номер и расторгнуть договор об оказании услуг связи по нему. С "
     "расчётом согласен(на).",
     "Жоғарыдағы нөмірді жабуды және ол бойынша байланыс қызметтері шартын бұзуды сұраймын. Есеп "
     "айырысумен келісемін.",
     "本人申请注销上述号码并解除相应服务合同，确认上述结算无误。"},
    {"form.signature_holder", "Signature of the applicant", "Подпись заявителя",
     "Өтініш берушінің қолы", "申请人签名"},
    {"form.signature_agent", "Accepted by (operator staff)", "Принял (сотрудник оператора)",
     "Қабылдаған (оператор қызметкері)", "受理人（运营商员工）"},
    {"form.print", "Print", "Печать", "Басып шығару", "打印"},
    {"form.bonus_balance", "Bonus balance", "Бонусный баланс", "Бонустық баланс", "赠送余额"},
    {"form.applied_from_balance", "Paid from the balance", "Оплачено с баланса",
     "Баланстан төленді", "从余额中支付"},
    {"form.forfeited_main", "Balance not refunded", "Баланс без возврата", "Қайтарылмайтын баланс",
     "不予退还的余额"},
    {"form.signature_date", "Date and signature", "Дата и подпись", "Күні және қолы", "日期和签名"},
    // --------------------------------------- certificate as PDF, public verify page
    {"certificate.title", "Certificate of line closure", "Справка о закрытии абонентского номера",
     "Абоненттік нөмірдің жабылғаны туралы анықтама", "号码注销证明"},
    {"certificate.serial", "Certificate number", "Номер справки", "Анықтама нөмірі", "证明编号"},
    {"certificate.closed_at", "Closed at", "Дата и время закрытия", "Жабылған уақыты", "注销时间"},
    {"certificate.closed_on", "Closed on", "Дата закрытия", "Жабылған күні", "注销日期"},
    {"certificate.quarantine_until", "Number not reissued before", "Номер не выдаётся повторно до",
     "Нөмір қайта берілмейтін мерзім", "号码在此日期前不再分配"},
    {"certificate.verify_at", "Check this certificate at", "Проверить справку",
     "Анықтаманы тексеру", "验证此证明"},
    {"certificate.signed",
     "Signed electronically (Ed25519). The signed file certificate.json is attached to this PDF.",
     "Подписано электронной подписью (Ed25519). Подписанный файл certificate.json вложен в этот "
     "PDF.",
     "Электрондық қолтаңбамен қол қойылған (Ed25519). Қол қойылған certificate.json файлы осы "
     "PDF-ке тіркелген.",
     "已电子签名（Ed25519）。签名文件 certificate.json 已附在本PDF中。"},
    {"verify.title", "Check a certificate", "Проверка справки", "Анықтаманы тексеру",
     "验证注销证明"},
    {"verify.valid", "This certificate is genuine: simexit issued it and its signature is valid.",
     "Справка подлинная: её выдал simexit, подпись верна.",
     "Анықтама түпнұсқа: оны simexit берген, қолтаңбасы дұрыс.",
     "此证明真实：由 simexit 签发，签名有效。"},
    {"verify.invalid", "A certificate with this number exists, but its signature does not verify.",
     "Справка с таким номером есть, но подпись не подтверждается.",
     "Осындай нөмірлі анықтама бар, бірақ қолтаңбасы расталмайды.",
     "存在此编号的证明，但签名无法验证。"},
    {"verify.not_found", "There is no certificate with this number.",
     "Справки с таким номером нет.", "Мұндай нөмірлі анықтама жоқ.", "没有此编号的证明。"},

    // ------------------------------------------------ phone request confirmation
    {"confirm.title", "Confirm closing your line", "Подтвердите закрытие номера",
     "Нөмірді жабуды растаңыз", "确认注销号码"},
    {"confirm.text",
     "An operator's agent asked by phone to close your line. Confirm only if it was you.",
     "Сотрудник оператора по телефону оформил заявку на закрытие вашего номера. Подтвердите, "
     "только если это были вы.",
     "Оператор қызметкері телефон арқылы нөміріңізді жабу өтінімін ресімдеді. Бұл сіз болсаңыз "
     "ғана растаңыз.",
     "运营商客服通过电话为您提交了号码注销申请。仅在确系本人申请时确认。"},
    {"confirm.button", "Yes, close my line", "Да, закрыть номер", "Иә, нөмірді жабу",
     "是的，注销我的号码"},
    {"confirm.confirmed",
     "Thank you: your request is confirmed. You will get an SMS as it progresses.",
     "Спасибо: заявка подтверждена. О ходе её выполнения придут SMS.",
     "Рахмет: өтінім расталды. Барысы туралы SMS келеді.", "谢谢：申请已确认，进展将以短信通知。"},
    {"confirm.refused", "This link no longer works", "Ссылка больше не действует",
     "Сілтеме енді жұмыс істемейді", "此链接已失效"},
};

}  // namespace simexit::message_texts
