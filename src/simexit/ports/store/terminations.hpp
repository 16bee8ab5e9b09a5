#pragma once
// Terminations, their event trail and their certificates.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict, kNotFound from Get* when
// the row is absent, kInternal otherwise.
// A termination has at most one open (non-final) request per line, which the
// services enforce; events of a termination are listed in the order appended.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/contact_msisdn.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/settlement.hpp"
#include "simexit/domain/termination.hpp"

namespace simexit {

struct RefundInstruction {
  RefundMethod method = RefundMethod::kBankCard;
  std::string destination;  // masked card "4400 **** **** 1234", IBAN, or E.164 of another line

  bool operator==(const RefundInstruction&) const = default;
};

struct TerminationRecord {
  std::string id;  // "trm_" + 24 hex
  std::int64_t operator_id = 0;
  std::int64_t line_id = 0;
  std::int64_t holder_id = 0;
  Msisdn msisdn;  // copied so history survives number reuse
  Channel channel = Channel::kOnline;
  TerminationState state = TerminationState::kSubmitted;
  std::optional<UnixSeconds> scheduled_for;
  std::optional<RefundInstruction> refund;
  std::optional<SettlementQuote> settlement;  // fixed when settling ran
  std::string requested_by;                   // actor: "holder:12", "api_key:3", "admin"
  std::string reason;                         // rejection/cancel reason, if any
  std::string certificate_serial;             // set once the certificate exists
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;
  // Review: when the request entered the review queue (the SLA clock), the
  // decision's reason code ("document_mismatch", ...) and who decided.
  std::optional<UnixSeconds> review_since;
  std::string reason_code;
  std::string reviewed_by;  // actor
  // Mail: the postmark date on the envelope; nullopt for other channels.
  std::optional<CivilDate> postmarked_on;
  // Where the notices after closure go (any country; the final notice with
  // the certificate link): the closed line cannot receive them. nullopt when
  // the holder gave none (the final notice then goes to the line, and the
  // holder's proof is the page and the certificate download).
  std::optional<ContactMsisdn> contact_msisdn;

  bool operator==(const TerminationRecord&) const = default;
};

// The audit trail: one row per state change or notable action.
struct TerminationEventRecord {
  std::int64_t id = 0;
  std::string termination_id;
  std::string event;       // TerminationEvent name, or an action like "created", "hlr_barred"
  std::string from_state;  // empty for actions that do not change state
  std::string to_state;
  std::string actor;  // "holder:12", "api_key:3", "worker", "admin"
  std::string channel;
  std::string detail;  // human text; no secrets or document numbers
  UnixSeconds at = 0;

  bool operator==(const TerminationEventRecord&) const = default;
};

struct TerminationFilter {
  std::optional<std::int64_t> operator_id;
  std::optional<TerminationState> state;
  std::optional<Msisdn> msisdn;
  int limit = 100;
  // Newest first by default; the review queue reads oldest review_since first
  // (then created_at, then id).
  bool oldest_first = false;
};

// How many terminations there are, for an operator's dashboard: by state and
// by channel (all of them), and by the local day they were requested on
// (those requested at or after `since`).
struct TerminationTally {
  std::map<TerminationState, std::int64_t> by_state;  // states with none are absent
  std::map<Channel, std::int64_t> by_channel;
  // Day number (days since 1970-01-01 in the zone of `utc_offset_seconds`) ->
  // requests made that day; days with none are absent.
  std::map<std::int64_t, std::int64_t> per_day;

  bool operator==(const TerminationTally&) const = default;
};

struct CertificateRecord {
  std::string serial;          // "SX-" + 26 Crockford base32 (certificate/serial.hpp)
  std::string termination_id;  // unique: one certificate per termination
  std::int64_t operator_id = 0;
  std::string document;  // the signed certificate JSON, as served
  UnixSeconds created_at = 0;

  bool operator==(const CertificateRecord&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class TerminationRepository {
 public:
  virtual ~TerminationRepository() = default;

  virtual Result<void> InsertTermination(const TerminationRecord& termination) = 0;
  virtual Result<void> UpdateTermination(const TerminationRecord& termination) = 0;
  virtual Result<TerminationRecord> GetTermination(const std::string& id) = 0;
  // The termination of this line that is not in a final state, if any.
  virtual Result<std::optional<TerminationRecord>> FindOpenTermination(std::int64_t line_id) = 0;
  virtual Result<std::vector<TerminationRecord>> ListTerminations(
      const TerminationFilter& filter) = 0;

  // Counts the terminations of `operator_id` (every operator's when nullopt):
  // by_state and by_channel over all of them, per_day over those created at or
  // after `since`, each on the day created_at falls on at UTC + utc_offset_seconds.
  virtual Result<TerminationTally> TallyTerminations(std::optional<std::int64_t> operator_id,
                                                     UnixSeconds since,
                                                     std::int64_t utc_offset_seconds) = 0;

  virtual Result<std::int64_t> AppendEvent(const TerminationEventRecord& event) = 0;
  virtual Result<std::vector<TerminationEventRecord>> ListEvents(
      const std::string& termination_id) = 0;

  // Certificates. One per termination (kAlreadyExists "duplicate" otherwise).
  virtual Result<void> InsertCertificate(const CertificateRecord& certificate) = 0;
  virtual Result<std::optional<CertificateRecord>> FindCertificateForTermination(
      const std::string& termination_id) = 0;
  // The certificate with this serial, compared exactly (case matters); nullopt
  // when there is none. Serials are unique across operators.
  virtual Result<std::optional<CertificateRecord>> FindCertificateBySerial(
      const std::string& serial) = 0;

  // Next value of a named counter, starting at 1 (certificate serials).
  virtual Result<std::int64_t> NextSequence(const std::string& name) = 0;
};

}  // namespace simexit
