#pragma once
// Port to the visitor location register of the MSC that serves a subscriber.
//
// Deleting a subscriber in the HLR does not detach it from the MSC: an attached
// SIM keeps its VLR record and keeps receiving SMS until the MSC forgets it.
// Deprovisioning therefore also expires the subscriber here.
// Errors: kNotFound ("vlr_unknown_subscriber") when the MSC has no record of the
// IMSI (not attached: nothing to do); kUnavailable when the MSC is unreachable
// or times out (retry); kInternal otherwise. An MSC may accept the expiry of a
// record that is still in use and free it when that use ends (osmo-msc does);
// that counts as success: the subscriber is detached.
// Implementations are thread-safe.

#include "simexit/common/result.hpp"
#include "simexit/domain/imsi.hpp"

namespace simexit {

class Vlr {
 public:
  virtual ~Vlr() = default;
  // Removes the subscriber's VLR record, detaching it from the network.
  virtual Result<void> Expire(const Imsi& imsi) = 0;
};

}  // namespace simexit
