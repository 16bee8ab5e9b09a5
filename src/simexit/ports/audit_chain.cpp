#include "simexit/ports/store/audit_chain.hpp"

#include <boost/json/object.hpp>

#include "simexit/common/canonical_json.hpp"
#include "simexit/common/crypto.hpp"

namespace simexit {

Result<std::string> ChainRecordJson(const AuditRecord& r) {
  boost::json::object o;
  o["kind"] = kChainedAudit;
  o["id"] = r.id;
  o["operator_id"] = r.operator_id;
  o["actor"] = r.actor;
  o["action"] = r.action;
  o["subject"] = r.subject;
  o["detail"] = r.detail;
  o["request_id"] = r.request_id;
  o["at"] = r.at;
  return CanonicalJson(o);
}

Result<std::string> ChainRecordJson(const TerminationEventRecord& e, std::int64_t operator_id) {
  boost::json::object o;
  o["kind"] = kChainedEvent;
  o["id"] = e.id;
  o["operator_id"] = operator_id;
  o["termination_id"] = e.termination_id;
  o["event"] = e.event;
  o["from_state"] = e.from_state;
  o["to_state"] = e.to_state;
  o["actor"] = e.actor;
  o["channel"] = e.channel;
  o["detail"] = e.detail;
  o["at"] = e.at;
  return CanonicalJson(o);
}

std::string ChainHash(std::string_view prev_hash, std::string_view record_json) {
  std::string message;
  message.reserve(prev_hash.size() + 1 + record_json.size());
  message.append(prev_hash);
  message.push_back('\n');
  message.append(record_json);
  return Sha256Hex(message);
}

}  // namespace simexit
