#include "simexit/domain/review.hpp"

#include <algorithm>

namespace simexit {
namespace {

struct Words {
  std::string_view code;
  const char* en;
  const char* ru;
  const char* kk;
  const char* zh;
};

constexpr Words kWords[] = {
    {"document_mismatch", "the document does not match the line's owner",
     "документ не совпадает с владельцем номера", "құжат нөмір иесіне сәйкес келмейді",
     "证件与号码登记人不符"},
    {"document_unreadable", "the document copy cannot be read", "копия документа нечитаема",
     "құжат көшірмесі оқылмайды", "证件复印件无法辨认"},
    {"power_of_attorney_invalid", "the power of attorney is not valid",
     "доверенность недействительна", "сенімхат жарамсыз", "授权委托书无效"},
    {"holder_not_reachable", "we could not reach the line's owner",
     "не удалось связаться с владельцем номера", "нөмір иесімен байланысу мүмкін болмады",
     "无法联系号码登记人"},
    {"suspected_fraud", "the request could not be confirmed as yours",
     "не удалось подтвердить, что заявка ваша", "өтінімнің сіздікі екені расталмады",
     "无法确认该申请由您本人提出"},
    {"duplicate_request", "another request for this line is already handled",
     "по номеру уже есть другая заявка", "бұл нөмір бойынша басқа өтінім бар",
     "该号码已有其他申请在处理"},
    {"other", "see the operator's explanation", "см. пояснение оператора",
     "оператордың түсіндірмесін қараңыз", "请查看运营商的说明"},
};

}  // namespace

bool IsReviewReasonCode(std::string_view code) {
  return std::find(kReviewReasonCodes.begin(), kReviewReasonCodes.end(), code) !=
         kReviewReasonCodes.end();
}

std::string ReviewReasonText(std::string_view code, std::string_view language) {
  for (const Words& w : kWords) {
    if (w.code != code) continue;
    if (language == "ru") return w.ru;
    if (language == "kk") return w.kk;
    if (language == "zh") return w.zh;
    return w.en;
  }
  return std::string(code);
}

}  // namespace simexit
