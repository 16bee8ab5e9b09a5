#pragma once
// The bodies and views of the reactivation routes (routes_reactivations.cpp,
// docs/reactivation.md), decoded at the edge as request_json.hpp explains:
//
//   OpenReactivationCommand  POST /v1/reactivations: {msisdn, channel (store
//                   or mail, "store" when absent), document, iccid, imsi,
//                   postmarked_on}; iccid "invalid_iccid", imsi
//                   "invalid_imsi", postmarked_on a date ("invalid_postmark")
//   RejectReactivation  POST /v1/reactivations/{id}/reject: {reason}, at most
//                   kMaxReasonChars characters

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/value_to.hpp>
#include <string>

#include "simexit/api/request_json.hpp"
#include "simexit/service/reactivation_service.hpp"

namespace simexit {

OpenReactivationCommand tag_invoke(boost::json::value_to_tag<OpenReactivationCommand>,
                                   const boost::json::value& value);

namespace api {

struct RejectReactivation {
  std::string reason;
};
RejectReactivation tag_invoke(boost::json::value_to_tag<RejectReactivation>,
                              const boost::json::value& value);

// A reactivation as the API shows it (lists, opening, decisions): never the
// IMSI, and the ICCID only as the SIM's last digits.
boost::json::object ReactivationJson(const ReactivationRecord& r);
// With its history and the end of its window.
boost::json::object ReactivationDetailJson(const ReactivationDetail& detail);

}  // namespace api
}  // namespace simexit
