#pragma once
// What the use cases need from the outside world, passed in by the wiring in
// app/ (only app/ chooses concrete adapters). Not owned; must outlive users.

#include <functional>
#include <string>

#include "simexit/certificate/signer.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/common/random.hpp"
#include "simexit/ports/hlr.hpp"
#include "simexit/ports/sms_gateway.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/ports/vlr.hpp"

namespace simexit {

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
};

}  // namespace simexit
