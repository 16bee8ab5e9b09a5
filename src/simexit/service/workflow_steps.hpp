#pragma once
// Building blocks shared by the request side and the workflow: a state change
// with its audit event, and job scheduling. Each runs inside the caller's
// transaction.

#include <map>
#include <optional>
#include <string>

#include "simexit/domain/notices.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/service/job_kind.hpp"

namespace simexit {

// Applies `event` to `termination` (state machine), saves it, appends the
// audit event and publishes kz.simexit.termination.state_changed
// (event_outbox.hpp). kFailedPrecondition "illegal_transition" when not allowed. A
// termination that ends cancelled or rejected takes its pending steps with it
// (start_termination, send_reminder, expire_confirmation).
Result<void> ApplyEvent(StoreTx& tx, TerminationRecord& termination, TerminationEvent event,
                        const std::string& actor, const std::string& detail, UnixSeconds now);

// Appends an audit event that does not change state (e.g. "hlr_barred").
Result<void> RecordAction(StoreTx& tx, const TerminationRecord& termination,
                          const std::string& action, const std::string& actor,
                          const std::string& detail, UnixSeconds now);

// Enqueues a job for a termination step; the dedupe key makes a repeated
// enqueue of the same step a no-op.
Result<void> EnqueueStep(StoreTx& tx, JobKind kind, const std::string& termination_id,
                         const std::string& dedupe_suffix, UnixSeconds run_at, UnixSeconds now);

// Queues an SMS to the line's holder in the outbox (sms_outbox.hpp), rendered
// in the holder's language. Each state change queues its notice once: the
// state machine, not a key, keeps notices from repeating.
// `date`, when given, fills {date} as the day it falls on in the holder's time
// zone. The operator's own texts (policy sms_templates) win over built-in ones.
// Notice::kTerminated goes to the termination's contact_msisdn when the holder
// gave one: the line itself is detached by then.
Result<void> EnqueueNotice(StoreTx& tx, const TerminationRecord& termination, Notice notice,
                           std::map<std::string, std::string> params,
                           std::optional<UnixSeconds> date, UnixSeconds now);

}  // namespace simexit
