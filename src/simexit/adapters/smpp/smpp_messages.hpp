#pragma once
// What SmppClient puts into PDUs and reads out of them, without I/O: the
// submit_sm bodies of an SMS (BuildSubmits, declared in smpp_client.hpp with
// SmppOptions), the error for a submit_sm_resp status, and the DeliveryReport
// in a delivery receipt. Pure functions; the session is in smpp_client.cpp.

#include <cstddef>
#include <cstdint>
#include <string>

#include "simexit/adapters/smpp/pdu.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/sms_gateway.hpp"

namespace simexit::smpp {

// "part 2/3" (`part` counts from 0).
std::string PartName(std::size_t part, std::size_t parts);

// The error Send() returns when part `part` of `parts` got a non-OK
// submit_sm_resp: a permanent status -> kInvalidArgument "sms_rejected";
// ESME_RTHROTTLED / ESME_RMSGQFUL -> kUnavailable "smsc_busy"; ESME_RINVBNDSTS ->
// kUnavailable "smsc_not_bound"; any other -> kUnavailable "smsc_temporary_error".
Error SubmitStatusError(std::uint32_t command_status, std::size_t part, std::size_t parts);

// The report in a delivery receipt (a deliver_sm whose esm_class says so; the
// caller checks): see "Delivery reports" in smpp_client.hpp.
DeliveryReport DeliveryReportFrom(const ShortMessage& receipt);

}  // namespace simexit::smpp
