// `simexit terminations|jobs|sms|certificate ...`: what an operator's on-call
// engineer inspects and retries. Declared in cli_commands.hpp.
#include <fmt/format.h>

#include <boost/json.hpp>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>

#include "simexit/app/cli_commands.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/domain/content_type.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit::app {
namespace {

// Reads an optional --state option into `out`. False (after saying why on
// stderr) when the text names no state; `what` and `choices` go into the message.
template <typename State, typename Parse>
bool ParseStateOption(const std::string& text, Parse parse, const char* what, const char* choices,
                      std::optional<State>* out) {
  if (text.empty()) {
    return true;
  }
  *out = parse(text);
  if (!*out) {
    std::cerr << "simexit: unknown " << what << " state '" << text << "' (" << choices << ")\n";
  }
  return out->has_value();
}

}  // namespace

int ListTerminations(Runtime& rt, const std::string& state_text, const std::string& op_code,
                     int limit) {
  TerminationFilter filter;
  filter.limit = limit;
  if (!ParseStateOption(state_text, ParseTerminationState, "termination",
                        "submitted, verified, in_review, approved, scheduled, settling, "
                        "awaiting_payment, deprovisioning, terminated, rejected, cancelled",
                        &filter.state)) {
    return 2;
  }
  if (!op_code.empty()) {
    Result<OperatorRecord> op = rt.operators->GetOperator(Caller::System("cli"), op_code);
    if (!op) {
      return Report(op.error());
    }
    filter.operator_id = op->id;
  }
  Result<std::vector<TerminationRecord>> list = TransactValue<std::vector<TerminationRecord>>(
      *rt.store, [&](StoreTx& tx) { return tx.ListTerminations(filter); });
  if (!list) {
    return Report(list.error());
  }
  std::cout << fmt::format("{:<28} {:<14} {:<8} {:<17} {:<20} {}\n", "ID", "MSISDN", "CHANNEL",
                           "STATE", "CREATED", "CERTIFICATE");
  for (const TerminationRecord& t : *list) {
    std::cout << fmt::format("{:<28} {:<14} {:<8} {:<17} {:<20} {}\n", t.id, t.msisdn.e164(),
                             ToString(t.channel), ToString(t.state), FormatRfc3339(t.created_at),
                             t.certificate_serial);
  }
  return 0;
}

int ShowTermination(Runtime& rt, const std::string& id) {
  Result<TerminationDetail> detail = rt.terminations->Get(Caller::System("cli"), id);
  if (!detail) {
    return Report(detail.error());
  }
  const TerminationRecord& t = detail->termination;
  std::cout << "termination " << t.id << "\n"
            << "  msisdn        " << t.msisdn.e164() << "\n"
            << "  channel       " << ToString(t.channel) << "\n"
            << "  state         " << ToString(t.state) << "\n"
            << "  requested by  " << t.requested_by << "\n"
            << "  created       " << FormatRfc3339(t.created_at) << "\n";
  if (t.scheduled_for) {
    std::cout << "  scheduled for " << FormatRfc3339(*t.scheduled_for) << "\n";
  }
  if (t.settlement) {
    std::cout << "  settlement    charges " << t.settlement->outstanding_charges.ToDecimalString()
              << ", fee " << t.settlement->fee.ToDecimalString() << ", refund "
              << t.settlement->refund.ToDecimalString() << ", due "
              << t.settlement->amount_due.ToDecimalString() << " KZT\n";
  }
  if (!t.certificate_serial.empty()) {
    std::cout << "  certificate   " << t.certificate_serial << "\n";
  }
  std::cout << "  events\n";
  for (const TerminationEventRecord& e : detail->events) {
    std::cout << fmt::format("    {}  {:<20} {:<30} {:<10} {}\n", FormatRfc3339(e.at), e.event,
                             e.from_state.empty() ? "" : e.from_state + " -> " + e.to_state,
                             e.actor, e.detail);
  }
  return 0;
}

int ListJobs(Runtime& rt, const std::string& state_text, const std::string& kind, int limit) {
  JobFilter filter;
  filter.limit = limit;
  if (!ParseStateOption(state_text, ParseJobState, "job", "pending, running, done, dead",
                        &filter.state)) {
    return 2;
  }
  if (!kind.empty()) {
    filter.kind = kind;
  }
  Result<std::vector<JobRecord>> jobs = TransactValue<std::vector<JobRecord>>(
      *rt.store, [&](StoreTx& tx) { return tx.ListJobs(filter); });
  if (!jobs) {
    return Report(jobs.error());
  }
  std::cout << fmt::format("{:<6} {:<18} {:<8} {:<20} {:>8}  {}\n", "ID", "KIND", "STATE", "RUN AT",
                           "ATTEMPTS", "LAST ERROR");
  for (const JobRecord& j : *jobs) {
    std::cout << fmt::format("{:<6} {:<18} {:<8} {:<20} {:>8}  {}\n", j.id, j.kind,
                             ToString(j.state), FormatRfc3339(j.run_at), j.attempts, j.last_error);
  }
  return 0;
}

int CheckInvariants(Runtime& rt, int limit) {
  Result<std::vector<InvariantViolation>> found = TransactValue<std::vector<InvariantViolation>>(
      *rt.store, [&](StoreTx& tx) { return tx.CheckInvariants(rt.clock.Now(), limit); });
  if (!found) {
    return Report(found.error());
  }
  for (const InvariantViolation& v : *found) {
    std::cout << fmt::format("{} {}: {}\n", v.invariant, v.subject, v.detail);
  }
  if (!found->empty()) {
    std::cerr << fmt::format("simexit: {} invariant violation(s)\n", found->size());
    return 1;
  }
  std::cout << "ok: every invariant holds\n";
  return 0;
}

int ListSms(Runtime& rt, const std::string& state_text, const std::string& to, int limit) {
  SmsFilter filter;
  filter.limit = limit;
  if (!ParseStateOption(state_text, ParseSmsState, "SMS",
                        "queued, submitted, delivered, failed, expired", &filter.state)) {
    return 2;
  }
  if (!to.empty()) {
    Result<Msisdn> msisdn = Msisdn::Parse(to);
    if (!msisdn) {
      return Report(msisdn.error());
    }
    filter.recipient = msisdn->e164();
  }
  Result<std::vector<SmsRecord>> list = rt.workflow->outbox().List(filter);
  if (!list) {
    return Report(list.error());
  }
  std::cout << fmt::format("{:<6} {:<14} {:<28} {:<4} {:<10} {:>3} {:<20} {}\n", "ID", "TO", "KIND",
                           "LANG", "STATE", "TRY", "UPDATED", "LAST ERROR");
  for (const SmsRecord& m : *list) {
    std::cout << fmt::format("{:<6} {:<14} {:<28} {:<4} {:<10} {:>3} {:<20} {}\n", m.id,
                             m.recipient, m.kind, m.language, ToString(m.state), m.attempts,
                             FormatRfc3339(m.updated_at), m.last_error);
  }
  return 0;
}

int VerifyCertificateFile(const std::string& file, std::string key) {
  std::ifstream in(file);
  if (!in) {
    std::cerr << "simexit: cannot read " << file << "\n";
    return 1;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!key.empty() && key[0] == '@') {
    std::ifstream kin(key.substr(1));
    std::getline(kin, key);
  }
  Result<void> verified = VerifyCertificate(buffer.str(), key);
  if (!verified) {
    std::cerr << "INVALID: " << verified.error().message << " (" << verified.error().problem_code
              << ")\n";
    return 1;
  }
  std::cout << "OK: the certificate is authentic and unaltered\n";
  return 0;
}

}  // namespace simexit::app
