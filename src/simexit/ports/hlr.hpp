#pragma once
// Port to the operator's HLR (home location register).
//
// Adapters translate their wire protocol's outcomes into ErrorCode at the edge:
//   kUnavailable        connection refused or lost, timeout: retry with back-off;
//   kNotFound           the subscriber is not in the HLR (problem code "hlr_unknown_subscriber");
//   kAlreadyExists      Provision() of an IMSI that is already there;
//   kInvalidArgument    the HLR refused a value (problem code "hlr_rejected");
//   kInternal           anything the adapter did not expect (message has the HLR's text).
// Every operation is idempotent from the caller's view when combined with the
// codes above (e.g. Remove() of a missing subscriber is kNotFound, which the
// deprovisioning step treats as already done).
// Implementations are thread-safe: calls may come from several worker threads.

#include <string>

#include "simexit/common/result.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit {

struct HlrSubscriber {
  std::string imsi;
  std::string msisdn;  // digits without '+', empty when none is set
  bool cs_enabled = true;
  bool ps_enabled = true;
};

class Hlr {
 public:
  virtual ~Hlr() = default;

  // Reads the subscriber. kNotFound when absent.
  virtual Result<HlrSubscriber> Lookup(const Imsi& imsi) = 0;
  // Creates the subscriber with this MSISDN, CS and PS enabled (used by `demo`
  // and tests; real operators provision elsewhere).
  virtual Result<void> Provision(const Imsi& imsi, const Msisdn& msisdn) = 0;
  // Bars the subscriber: disables CS and PS access. kNotFound when absent.
  virtual Result<void> Bar(const Imsi& imsi) = 0;
  // Deletes the subscriber. kNotFound when absent.
  virtual Result<void> Remove(const Imsi& imsi) = 0;
};

}  // namespace simexit
