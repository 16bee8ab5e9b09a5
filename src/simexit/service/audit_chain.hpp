#pragma once
// Checking and exporting the tamper-evident audit chain
// (ports/store/audit_chain.hpp, docs/audit.md).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/certificate/signer.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/ports/store.hpp"

namespace simexit {

// Where a chain breaks. `reason`:
//   link_out_of_place  the link's prev_hash is not the hash of the link before
//                      it: a link (with its record) was deleted, inserted or
//                      moved between operators
//   record_deleted     the link's record is gone
//   record_changed     the record no longer hashes to the link's hash
//   unchained_record   a record written since the chain began has no link
struct ChainBreak {
  std::int64_t operator_id = 0;  // 0 for the chain of no single operator
  std::int64_t seq = 0;          // the link; 0 for an unchained record
  std::string record;            // "audit:12", "event:7"
  std::string reason;
  std::string detail;  // human text

  bool operator==(const ChainBreak&) const = default;
};

struct AuditChainReport {
  int chains = 0;
  std::int64_t links = 0;
  std::vector<ChainBreak> breaks;  // the first break of each chain, then unchained records
};

// Walks every chain (only the one of the operator with `operator_code` when
// given) from its first link, a page of links per read transaction, and names
// the first broken link of each; then, for all chains only, the records that
// have no link.
// Errors: kNotFound "operator_not_found"; the store's errors.
Result<AuditChainReport> VerifyAuditChains(Store& store,
                                           const std::optional<std::string>& operator_code);

// The days an export covers, both included, as UTC calendar days.
struct AuditExportRange {
  CivilDate from;
  CivilDate to;
};

struct AuditExport {
  std::string jsonl;             // a header line, then a line per link (docs/audit.md)
  std::string signature;         // the raw 64-byte Ed25519 signature of `jsonl`
  std::string signature_base64;  // the same, standard base64 with padding
  std::int64_t links = 0;
};

// One operator's links recorded in `range`, each with its record, signed with
// `signer`. The whole chain up to the range's end is verified first: a broken
// chain is never signed.
// Errors: kInvalidArgument "invalid_date_range" when from is after to;
// kNotFound "operator_not_found" for an unknown operator code;
// kFailedPrecondition "audit_chain_broken" (the message names the first
// broken link); the store's errors.
Result<AuditExport> ExportAuditChain(Store& store, const CertificateSigner& signer,
                                     const std::string& operator_code, AuditExportRange range,
                                     UnixSeconds now);

}  // namespace simexit
