#pragma once
// Steps the termination use cases share (open_termination.cpp, review.cpp,
// phone_confirmation.cpp, payments_and_cancel.cpp, termination_queries.cpp).
// Internal to service/: routes and other modules use termination_service.hpp.
// Functions taking a StoreTx run inside the caller's transaction.

#include <string>

#include "simexit/common/random.hpp"
#include "simexit/domain/settlement.hpp"
#include "simexit/service/termination_service.hpp"

namespace simexit::termination_steps {

// kNotFound "line_not_found" / "termination_not_found".
tl::unexpected<Error> LineNotFound();
tl::unexpected<Error> TerminationNotFound();

// kPermissionDenied "insufficient_role": "the <role> role cannot <what>".
tl::unexpected<Error> InsufficientRole(const Caller& caller, const char* what);

// kFailedPrecondition "illegal_transition": "<prefix> <state><suffix>".
tl::unexpected<Error> IllegalTransition(const std::string& message);

// The line for `msisdn` with its operator, open termination and holder, if the
// caller may see it. Errors: kNotFound "line_not_found"; store errors.
Result<LineView> LoadLine(StoreTx& tx, const Caller& caller, const Msisdn& msisdn);

// The termination `id` if the caller may see it. Errors: kNotFound
// "termination_not_found"; store errors.
Result<TerminationRecord> LoadTermination(StoreTx& tx, const Caller& caller, const std::string& id);

LineBalances BalancesOf(const LineRecord& line);

// After approval: wait for the scheduled date (with a reminder the day
// before), or start settling now.
Result<void> ContinueAfterApproval(StoreTx& tx, TerminationRecord& t, const std::string& actor,
                                   UnixSeconds now);

// A request whose identity is proven: verified, then to review or approved
// (and on to settling or its date). Mail is always reviewed.
Result<void> VerifyAndRoute(StoreTx& tx, TerminationRecord& t, const Policy& policy,
                            const std::string& proof, const std::string& actor, UnixSeconds now);

// What goes to the line of a phone request; only hashes are stored.
struct ConfirmationSecrets {
  std::string code;   // the one-time code (domain/one_time_code.hpp)
  std::string token;  // the link's token, "cf_..."
  int minutes = 0;    // how long they are valid
};

// A fresh code and link token for a phone request (replacing any earlier
// one), valid for `minutes`, and the job that expires the request when the
// window passes.
Result<ConfirmationSecrets> NewConfirmation(StoreTx& tx, Random& random, const TerminationRecord& t,
                                            int minutes, const OtpPolicy& otp, UnixSeconds now);

}  // namespace simexit::termination_steps
