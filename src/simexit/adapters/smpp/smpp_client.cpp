#include "simexit/adapters/smpp/smpp_client.hpp"

#include "simexit/adapters/smpp/smpp_session.hpp"

namespace simexit::smpp {

SmppClient::SmppClient(SmppOptions options)
    : options_(std::move(options)), session_(std::make_unique<Session>(options_)) {}

SmppClient::~SmppClient() = default;

Result<SmsAccepted> SmppClient::Send(const SmsMessage& message) { return session_->Send(message); }

void SmppClient::SendBatch(const std::vector<SmsMessage>& messages, const SmsSettled& settled) {
  session_->SendBatch(messages, settled);
}

void SmppClient::SetDeliveryReportHandler(std::function<void(const DeliveryReport&)> handler) {
  session_->SetHandler(std::move(handler));
}

std::string SmppClient::Describe() const {
  const std::string& who = options_.system_id.empty() ? options_.source_addr : options_.system_id;
  return "SMPP 3.4 ESME " + who + "@" + options_.host + ":" + std::to_string(options_.port);
}

SmppClient::Status SmppClient::status() const { return session_->GetStatus(); }

}  // namespace simexit::smpp
