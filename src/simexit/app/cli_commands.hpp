#pragma once
// The subcommands of `simexit` that act on the database, one function each,
// called by RunCli (cli.cpp) after parsing. Each prints to stdout, reports
// failures on stderr and returns the process exit code (0 success, 1 failure,
// 2 bad usage). Internal to the app module.

#include <csignal>
#include <cstdint>
#include <string>
#include <vector>

#include "simexit/app/runtime.hpp"
#include "simexit/common/result.hpp"

namespace simexit::app {

// "simexit: <message> (<reason>)" on stderr; returns 1.
int Report(const Error& error);

// cli_serve.cpp: the long-running processes. BlockStopSignals blocks SIGINT
// and SIGTERM in the calling thread and every thread started after it, so
// that Serve and RunWorker take them synchronously and stop cleanly; call it
// before any thread starts. Serve runs the HTTP API and the configured
// workers until a signal; RunWorker runs one worker until a signal, or with
// until_idle until no job is due (printing how many ran).
sigset_t BlockStopSignals();
int Serve(Runtime& rt, const sigset_t& signals);
int RunWorker(Runtime& rt, bool until_idle, const sigset_t& signals);

// cli_operations.cpp: terminations, jobs, SMS, certificates.
int ListTerminations(Runtime& rt, const std::string& state_text, const std::string& op_code,
                     int limit);
int ShowTermination(Runtime& rt, const std::string& id);
int ListJobs(Runtime& rt, const std::string& state_text, const std::string& kind, int limit);
int ListSms(Runtime& rt, const std::string& state_text, const std::string& to, int limit);
int VerifyCertificateFile(const std::string& file, std::string key);
// `simexit check`: every violation of ports/store/invariants.hpp on its own line
// ("<invariant> <subject>: <detail>"); exit 0 when there is none, else 1.
int CheckInvariants(Runtime& rt, int limit);
// `simexit audit verify`: 0 when every chain holds, 1 naming each break.
int VerifyAudit(Runtime& rt, const std::string& operator_code);
// `simexit audit export`: writes `out` and `out`.sig; 2 on bad dates.
int ExportAudit(Runtime& rt, const std::string& operator_code, const std::string& from,
                const std::string& to, const std::string& out);

// cli_staff.cpp: staff accounts and operator policies. With password_stdin the
// password is read from one line of standard input (never from argv).
int AddStaff(Runtime& rt, const std::string& op_code, const NewStaff& staff_in,
             bool password_stdin);
int DisableStaff(Runtime& rt, const std::string& username);
int EnableStaff(Runtime& rt, const std::string& username);
int ResetStaffPassword(Runtime& rt, const std::string& username, bool password_stdin);
int ListStaff(Runtime& rt, const std::string& op_code);
int ShowPolicy(Runtime& rt, const std::string& code);
int SetPolicy(Runtime& rt, const std::string& code, const std::string& file);

// cli_number_recycling.cpp: number recycling clients and the disconnection
// report (CSV "number,disconnected_on", one row per number whose most recent
// permanent disconnection is on or after `since`, YYYY-MM-DD; 2 for a bad date).
int CreateRecyclingClient(Runtime& rt, const std::string& op_code, const std::string& name,
                          const std::vector<std::string>& scopes);
int ListRecyclingClients(Runtime& rt, const std::string& op_code);
int RevokeRecyclingClient(Runtime& rt, std::int64_t id);
int ListRecyclingChecks(Runtime& rt, std::int64_t id, int limit);
int ReportDisconnections(Runtime& rt, const std::string& since);

// cli_webhooks.cpp: operators' webhook endpoints and their deliveries
// (docs/events.md). `add` prints the endpoint's secret once; `deliveries`
// lists newest first, in --state when given (2 for an unknown state).
int AddWebhook(Runtime& rt, const std::string& op_code, const std::string& url,
               const std::vector<std::string>& event_types);
int ListWebhooks(Runtime& rt, const std::string& op_code);
int RemoveWebhook(Runtime& rt, const std::string& op_code, std::int64_t id);
int ListWebhookDeliveries(Runtime& rt, const std::string& op_code, const std::string& state,
                          int limit);
int RetryWebhookDelivery(Runtime& rt, const std::string& op_code, std::int64_t id);

// cli_dormancy.cpp: `simexit sweep dormant`. With dry_run, prints what the
// sweep would do today to each due line of the operator and changes nothing;
// without, runs the sweep once now (service/dormancy_sweep.hpp) and prints
// its tally. 0, or 1 with the error.
int SweepDormant(Runtime& rt, const std::string& operator_code, bool dry_run);

// cli_bulk.cpp: `simexit terminate --file FILE --operator CODE --reason R`
// (docs/bulk-terminations.md). Submits the numbers of FILE (one a line) as one
// bulk closure; 1 naming every refused number when any is (nothing is
// submitted). With `wait`, shows the progress until no line is pending and
// prints the failures (1 when there are any); SIGINT/SIGTERM in `signals`
// stop the watching (130), not the closure.
int TerminateInBulk(Runtime& rt, const std::string& file, const std::string& op_code,
                    const std::string& reason, bool wait, const sigset_t& signals);

}  // namespace simexit::app
