#pragma once
// The tamper-evident audit trail (docs/audit.md).
//
// Every audit record (audit.hpp) and every termination event (terminations.hpp)
// is a link in its operator's chain, appended by the store in the same
// transaction as the record: AppendAudit and AppendEvent write both. A link
// holds
//
//   hash = hex(SHA-256(prev_hash || "\n" || canonical record))
//
// where prev_hash is the hash of the operator's previous link (64 "0" for the
// first) and the canonical record is the record as RFC 8785 canonical JSON
// (ChainRecordJson below), its id and operator included. Editing a record,
// deleting one, moving one to another place or another operator, or doing the
// same to the links, breaks the chain there; `simexit audit verify` names the
// first broken link of each chain. Deleting the newest links together with
// their records is invisible to the chain alone: a signed export (`simexit
// audit export`) kept outside the database anchors what existed when it was
// taken.
//
// Errors as in store.hpp.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/ports/store/audit.hpp"
#include "simexit/ports/store/terminations.hpp"

namespace simexit {

// What a link stands for: "audit" (an AuditRecord) or "event" (a
// TerminationEventRecord).
inline constexpr std::string_view kChainedAudit = "audit";
inline constexpr std::string_view kChainedEvent = "event";

// The prev_hash of an operator's first link.
inline constexpr std::string_view kChainGenesis =
    "0000000000000000000000000000000000000000000000000000000000000000";

struct ChainLink {
  std::int64_t seq = 0;          // position in the table; ascending within a chain
  std::int64_t operator_id = 0;  // 0 for records of no single operator
  std::string kind;              // kChainedAudit or kChainedEvent
  std::int64_t record_id = 0;    // audit_log.id or termination_events.id
  UnixSeconds at = 0;            // the record's time, for exports by date
  std::string prev_hash;
  std::string hash;
  // The record as it is stored now, in canonical form; nullopt when the record
  // is gone. Filled by ListChainLinks, ignored on append.
  std::optional<std::string> record_json;

  bool operator==(const ChainLink&) const = default;
};

// The canonical form of a record in its chain (RFC 8785 JSON, keys sorted):
//   {"action":…,"actor":…,"at":…,"detail":…,"id":…,"kind":"audit",
//    "operator_id":…,"request_id":…,"subject":…}
//   {"actor":…,"at":…,"channel":…,"detail":…,"event":…,"from_state":…,"id":…,
//    "kind":"event","operator_id":…,"termination_id":…,"to_state":…}
// Errors: kInvalidArgument "unsupported_json_value" on text that is not UTF-8.
Result<std::string> ChainRecordJson(const AuditRecord& record);
Result<std::string> ChainRecordJson(const TerminationEventRecord& event, std::int64_t operator_id);

// hex(SHA-256(prev_hash || "\n" || record_json)).
std::string ChainHash(std::string_view prev_hash, std::string_view record_json);

// Part of every StoreTx (store.hpp): the transaction is the repository.
class AuditChainRepository {
 public:
  virtual ~AuditChainRepository() = default;

  // Every operator id that has a chain, ascending (0 first when present).
  virtual Result<std::vector<std::int64_t>> ListChains() = 0;
  // One chain's links with seq > after_seq, ascending, at most `limit`, each
  // with its record's current canonical form. Reads only.
  virtual Result<std::vector<ChainLink>> ListChainLinks(std::int64_t operator_id,
                                                        std::int64_t after_seq, int limit) = 0;
  // Records written since the chain began that have no link (inserted behind
  // the store's back): "audit:12", "event:7"; at most `limit`, ascending.
  virtual Result<std::vector<std::string>> ListUnchainedRecords(int limit) = 0;
};

}  // namespace simexit
