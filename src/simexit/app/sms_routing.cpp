#include "simexit/app/sms_routing.hpp"

#include <functional>
#include <iterator>
#include <thread>

namespace simexit::app {

SmsGateway& SmsRouting::RouteFor(const SmsMessage& message) const {
  auto it = by_operator_.find(message.operator_code);
  return it != by_operator_.end() ? *it->second : *fallback_;
}

Result<SmsAccepted> SmsRouting::Send(const SmsMessage& message) {
  return RouteFor(message).Send(message);
}

void SmsRouting::SendBatch(const std::vector<SmsMessage>& messages, const SmsSettled& settled) {
  struct Share {
    std::vector<SmsMessage> messages;
    std::vector<std::size_t> indexes;  // in `messages` of the whole batch
  };
  std::map<SmsGateway*, Share> shares;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    Share& share = shares[&RouteFor(messages[i])];
    share.messages.push_back(messages[i]);
    share.indexes.push_back(i);
  }
  auto send = [&settled](SmsGateway* gateway, const Share& share) {
    gateway->SendBatch(share.messages, [&](std::size_t k, Result<SmsAccepted> result) {
      settled(share.indexes[k], std::move(result));
    });
  };
  // One SMSC's window or throttle must not hold back another's messages.
  std::vector<std::thread> others;
  for (auto it = std::next(shares.begin(), shares.empty() ? 0 : 1); it != shares.end(); ++it) {
    others.emplace_back(send, it->first, std::cref(it->second));
  }
  if (!shares.empty()) {
    send(shares.begin()->first, shares.begin()->second);
  }
  for (std::thread& t : others) {
    t.join();
  }
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
