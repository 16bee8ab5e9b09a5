#pragma once
// Reactivations (a quarantined number given back to its former holder,
// docs/reactivation.md), their event trail, and the two questions about lines
// that only a reactivation asks: when and for whom a line was last closed, and
// whether a SIM is in use by another line.
//
// Errors as in store.hpp: kUnavailable when the database is busy or unreachable,
// kAlreadyExists "duplicate" on a unique-key conflict (also a second open
// reactivation of one line), kNotFound "not_found" from Get*/Update* when the
// row is absent, kInternal otherwise.
// A line has at most one open (non-final) reactivation: InsertReactivation of
// a second one, or UpdateReactivation reopening one, is kAlreadyExists.
// Events of a reactivation are listed in the order appended.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/iccid.hpp"
#include "simexit/domain/iin.hpp"
#include "simexit/domain/imsi.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/domain/reactivation.hpp"

namespace simexit {

struct ReactivationRecord {
  std::string id;  // "rea_" + 24 hex
  std::int64_t operator_id = 0;
  std::int64_t line_id = 0;
  std::int64_t holder_id = 0;         // the former holder, who gets the number back
  std::string termination_id;         // the termination that closed the number
  Msisdn msisdn;                      // copied like a termination's
  Channel channel = Channel::kStore;  // store or mail
  ReactivationState state = ReactivationState::kRequested;
  // The SIM the number is provisioned on: a new one, or the old one again
  // (eSIM re-download, new_sim false).
  Iccid iccid;
  Imsi imsi;
  bool new_sim = false;
  UnixSeconds closed_at = 0;               // when the termination completed (the window's start)
  std::optional<CivilDate> postmarked_on;  // mail: the postmark date, else nullopt
  std::string requested_by;                // actor who opened it: "staff:7", "api_key:3"
  std::string reviewed_by;                 // actor who approved or rejected it ("" otherwise)
  std::string reason;                      // rejection or refusal reason, if any
  UnixSeconds created_at = 0;
  UnixSeconds updated_at = 0;

  bool operator==(const ReactivationRecord&) const = default;
};

// The audit trail of a reactivation: one row per state change or action.
struct ReactivationEventRecord {
  std::int64_t id = 0;
  std::string reactivation_id;
  std::string event;       // ReactivationEvent name, or an action like "created", "hlr_provisioned"
  std::string from_state;  // empty for actions that do not change state
  std::string to_state;
  std::string actor;
  std::string channel;
  std::string detail;  // human text; no document numbers
  UnixSeconds at = 0;

  bool operator==(const ReactivationEventRecord&) const = default;
};

struct ReactivationFilter {
  std::optional<std::int64_t> operator_id;
  std::optional<ReactivationState> state;
  int limit = 100;  // newest first (created_at, then id)
};

// The latest completed closure of a line: its terminated termination and the
// moment it moved into 'terminated'.
struct LineClosure {
  std::string termination_id;
  std::int64_t holder_id = 0;
  UnixSeconds closed_at = 0;

  bool operator==(const LineClosure&) const = default;
};

// Part of every StoreTx (store.hpp): the transaction is the repository.
class ReactivationRepository {
 public:
  virtual ~ReactivationRepository() = default;

  virtual Result<void> InsertReactivation(const ReactivationRecord& reactivation) = 0;
  // Writes every field but id and created_at.
  virtual Result<void> UpdateReactivation(const ReactivationRecord& reactivation) = 0;
  virtual Result<ReactivationRecord> GetReactivation(const std::string& id) = 0;
  // The reactivation of this line that is not in a final state, if any.
  virtual Result<std::optional<ReactivationRecord>> FindOpenReactivation(std::int64_t line_id) = 0;
  virtual Result<std::vector<ReactivationRecord>> ListReactivations(
      const ReactivationFilter& filter) = 0;

  virtual Result<std::int64_t> AppendReactivationEvent(const ReactivationEventRecord& event) = 0;
  virtual Result<std::vector<ReactivationEventRecord>> ListReactivationEvents(
      const std::string& reactivation_id) = 0;

  // The line's latest termination in state terminated, with the time of its
  // move into 'terminated' (its latest event whose to_state is 'terminated');
  // nullopt when the line was never closed.
  virtual Result<std::optional<LineClosure>> FindLastClosure(std::int64_t line_id) = 0;

  // The id of a line other than `except_line_id` whose ICCID is `iccid` or
  // whose IMSI is `imsi`, if any (of any operator: SIMs are unique across lines).
  virtual Result<std::optional<std::int64_t>> FindLineUsingSim(const Iccid& iccid, const Imsi& imsi,
                                                               std::int64_t except_line_id) = 0;
};

}  // namespace simexit
