#pragma once
// Sends each SMS through the SMSC of the operator it belongs to
// (SmsMessage::operator_code), falling back to a default gateway (the
// development sink) for operators without an SMSC.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "simexit/ports/sms_gateway.hpp"

namespace simexit::app {

class SmsRouting final : public SmsGateway {
 public:
  SmsRouting(std::map<std::string, std::unique_ptr<SmsGateway>> by_operator,
             std::unique_ptr<SmsGateway> fallback)
      : by_operator_(std::move(by_operator)), fallback_(std::move(fallback)) {}

  Result<SmsAccepted> Send(const SmsMessage& message) override;
  // Each route's share as one batch of its gateway; the routes at once.
  void SendBatch(const std::vector<SmsMessage>& messages, const SmsSettled& settled) override;
  // Installs the handler on every gateway.
  void SetDeliveryReportHandler(std::function<void(const DeliveryReport&)> handler) override;
  // One line per route, e.g. "kcell: SMPP 3.4 ESME ...; others: development SMS sink ...".
  std::string Describe() const override;

 private:
  SmsGateway& RouteFor(const SmsMessage& message) const;

  std::map<std::string, std::unique_ptr<SmsGateway>> by_operator_;
  std::unique_ptr<SmsGateway> fallback_;
};

}  // namespace simexit::app
