#pragma once
// What the use cases need from the outside world, passed in by the wiring in
// app/ (only app/ chooses concrete adapters). Not owned; must outlive users.

#include <functional>
#include <string>
#include <utility>

#include "simexit/certificate/signer.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/common/log.hpp"
#include "simexit/common/random.hpp"
#include "simexit/ports/hlr.hpp"
#include "simexit/ports/sms_gateway.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/ports/vlr.hpp"
#include "simexit/ports/webhook_client.hpp"

namespace simexit {

// How events are delivered to webhook endpoints (config [webhooks],
// docs/events.md): each attempt's time limit, and the back-off between
// attempts, base * 2^(attempt-1) capped at backoff_max_seconds; dead after
// max_attempts.
struct WebhookSettings {
  int timeout_ms = 5000;
  int max_attempts = 12;
  int backoff_base_seconds = 10;
  int backoff_max_seconds = 3600;
};

struct ServiceContext {
  Store& store;
  Hlr& hlr;
  SmsGateway& sms;
  Clock& clock;
  Random& random;
  const CertificateSigner& signer;
  // 32-byte secret keying the holder reference on certificates (see docs/certificate.md).
  std::string holder_ref_key;
  // Base URL people reach the service at, e.g. "http://127.0.0.1:8080" (links in SMS).
  std::string public_url;
  // The VLR of the operator's MSC (by operator code), or nullptr when none is
  // configured: deprovisioning then skips the detach step and says so in the
  // audit trail. Empty function: no MSC anywhere.
  std::function<Vlr*(const std::string& operator_code)> vlr_for;
  // Runs work after the caller is answered (common/background_tasks.hpp), for
  // what would otherwise make an answer's timing tell something: a sign-in
  // code's SMS. Empty: the work runs at once, before the answer (tests).
  std::function<void(std::function<void()>)> after_answer;
  // The shortest quarantine of a terminated number, in days, whatever an
  // operator's policy says (number_recycling.minimum_quarantine_days): banks
  // checking the number (docs/number-recycling.md) get at least this long.
  int minimum_quarantine_days = 45;
  // Where events go out (event_delivery.hpp); nullptr: nowhere yet, and
  // deliveries wait, retrying, until one is wired.
  WebhookClient* webhooks = nullptr;
  WebhookSettings webhook_settings{};
  // The server's own listen address (server.listen, server.port): a webhook
  // may not point at it, nor at public_url's host and port.
  std::string listen_host{};
  int listen_port = 0;

  // Runs `task` through after_answer, or at once when there is none; the
  // task keeps the request id of the request that queued it (log lines and
  // audit records say which request they belong to).
  void AfterAnswer(std::function<void()> task) const {
    if (!after_answer) {
      task();
      return;
    }
    after_answer([request_id = CurrentRequestId(), task = std::move(task)] {
      RequestIdScope scope(request_id);
      task();
    });
  }
};

}  // namespace simexit
