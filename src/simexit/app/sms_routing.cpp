#include "simexit/app/sms_routing.hpp"

namespace simexit::app {

Result<SmsAccepted> SmsRouting::Send(const SmsMessage& message) {
  auto it = by_operator_.find(message.operator_code);
  return it != by_operator_.end() ? it->second->Send(message) : fallback_->Send(message);
}

void SmsRouting::SetDeliveryReportHandler(std::function<void(const DeliveryReport&)> handler) {
  for (auto& [code, gateway] : by_operator_) {
    gateway->SetDeliveryReportHandler(handler);
  }
  fallback_->SetDeliveryReportHandler(handler);
}

std::string SmsRouting::Describe() const {
  std::string out;
  for (const auto& [code, gateway] : by_operator_) {
    out += code + ": " + gateway->Describe() + "; ";
  }
  out += (by_operator_.empty() ? "all operators: " : "other operators: ") + fallback_->Describe();
  return out;
}

}  // namespace simexit::app
