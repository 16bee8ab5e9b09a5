#include "simexit/app/cli.hpp"

#include <pthread.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <fmt/format.h>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "simexit/api/http_server.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/app/config.hpp"
#include "simexit/app/demo.hpp"
#include "simexit/app/import_lines.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/domain/content_type.hpp"
#include "simexit/common/log.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/jobs/worker.hpp"

namespace simexit::app {
namespace {

std::string WorkerOwner(const std::string& role, int index) {
  char host[256] = {0};
  ::gethostname(host, sizeof host - 1);
  return fmt::format("{}:{}:{}-{}", host, ::getpid(), role, index);
}

WorkerOptions WorkerOptionsFrom(const Config& config, const std::string& owner) {
  WorkerOptions options;
  options.owner = owner;
  options.lease_seconds = config.worker.lease_seconds;
  options.max_attempts = config.worker.max_attempts;
  options.backoff_base_seconds = config.worker.backoff_base_seconds;
  options.backoff_max_seconds = config.worker.backoff_max_seconds;
  options.poll_interval_ms = config.worker.poll_interval_ms;
  return options;
}

JobHandler HandlerFor(Runtime& rt) {
  return [&rt](const std::string& kind, const std::string& payload) {
    return rt.workflow->Run(kind, payload);
  };
}

// Blocks SIGINT/SIGTERM in this thread and every thread started after, so
// WaitForSignal() can receive them synchronously.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

int WaitForSignal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

int Report(const Error& error) {
  std::cerr << "simexit: " << error.message << " (" << error.reason << ")\n";
  return 1;
}

int Serve(Runtime& rt, const sigset_t& signals) {
  api::ApiServices services{*rt.auth, *rt.terminations, *rt.operators, *rt.staff,
                            *rt.uploads, *rt.signer};
  api::Router router = api::BuildRouter(services);
  api::HttpServerOptions options;
  options.address = rt.config.server.listen;
  options.port = static_cast<unsigned short>(rt.config.server.port);
  options.io_threads = rt.config.server.io_threads;
  options.handler_threads = rt.config.server.handler_threads;
  options.body_limit = static_cast<std::size_t>(rt.config.server.body_limit_bytes);
  options.max_connections = static_cast<std::size_t>(rt.config.server.max_connections);
  // Scans are megabytes; every other request keeps the small limit.
  // Only for callers that could upload (staff sessions and API keys); the
  // credential itself is checked by the route.
  options.body_limit_rules.push_back(
      {"POST", "/v1/uploads", static_cast<std::size_t>(rt.config.uploads.max_bytes),
       std::string(kUploadTooLarge), [](std::string_view authorization) {
         const std::string_view kinds[] = {"Bearer ss_", "Bearer sk_", "bearer ss_",
                                           "bearer sk_"};
         for (std::string_view prefix : kinds) {
           if (authorization.substr(0, prefix.size()) == prefix) return true;
         }
         return false;
       }});
  // Confirmation link tokens prove the holder's consent: never in the log.
  options.secret_path_prefixes = {"/confirm/", "/v1/confirmations/"};
  api::HttpServer server(options,
                         [&router](const api::HttpRequest& r) { return router.Dispatch(r); });
  if (Result<void> started = server.Start(); !started) return Report(started.error());

  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  if (rt.config.worker.enabled) {
    for (int i = 0; i < rt.config.worker.threads; ++i) {
      workers.push_back(std::make_unique<Worker>(*rt.store, rt.clock, HandlerFor(rt),
                                                 WorkerOptionsFrom(rt.config, WorkerOwner("serve", i))));
      threads.emplace_back([w = workers.back().get()] { w->Run(); });
    }
  }
  LogInfo("simexit serving",
          {{"url", rt.ctx->public_url}, {"store", rt.config.store.path},
           {"hlr", rt.config.hlr.kind}, {"sms", rt.sms->Describe()},
           {"workers", static_cast<std::int64_t>(workers.size())}});
  std::cout << "simexit is listening on http://" << rt.config.server.listen << ":"
            << server.port() << "  (SMS: " << rt.sms->Describe() << ")" << std::endl;

  const int sig = WaitForSignal(signals);
  LogInfo("shutting down", {{"signal", sig}});
  server.Shutdown();
  for (auto& w : workers) w->Stop();
  for (auto& t : threads) t.join();
  LogInfo("stopped");
  return 0;
}

int RunWorker(Runtime& rt, bool until_idle, const sigset_t& signals) {
  Worker worker(*rt.store, rt.clock, HandlerFor(rt),
                WorkerOptionsFrom(rt.config, WorkerOwner("worker", 0)));
  if (until_idle) {
    Result<int> ran = worker.RunUntilIdle();
    if (!ran) return Report(ran.error());
    std::cout << *ran << " job(s) run\n";
    return 0;
  }
  std::thread waiter([&] {
    WaitForSignal(signals);
    worker.Stop();
  });
  worker.Run();
  // Wake the waiter if Run() ended for another reason.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return 0;
}

// Reads an optional --state option into `out`. False (after saying why on
// stderr) when the text names no state; `what` and `choices` go into the message.
template <typename State, typename Parse>
bool ParseStateOption(const std::string& text, Parse parse, const char* what, const char* choices,
                      std::optional<State>* out) {
  if (text.empty()) return true;
  *out = parse(text);
  if (!*out) {
    std::cerr << "simexit: unknown " << what << " state '" << text << "' (" << choices << ")\n";
  }
  return out->has_value();
}

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
    if (!op) return Report(op.error());
    filter.operator_id = op->id;
  }
  Result<std::vector<TerminationRecord>> list = TransactValue<std::vector<TerminationRecord>>(
      *rt.store, [&](StoreTx& tx) { return tx.ListTerminations(filter); });
  if (!list) return Report(list.error());
  std::cout << fmt::format("{:<28} {:<14} {:<8} {:<17} {:<20} {}\n", "ID", "MSISDN", "CHANNEL",
                           "STATE", "CREATED", "CERTIFICATE");
  for (const TerminationRecord& t : *list) {
    std::cout << fmt::format("{:<28} {:<14} {:<8} {:<17} {:<20} {}\n", t.id, t.msisdn,
                             ToString(t.channel), ToString(t.state), FormatRfc3339(t.created_at),
                             t.certificate_serial);
  }
  return 0;
}

int ShowTermination(Runtime& rt, const std::string& id) {
  Result<TerminationDetail> detail = rt.terminations->Get(Caller::System("cli"), id);
  if (!detail) return Report(detail.error());
  const TerminationRecord& t = detail->termination;
  std::cout << "termination " << t.id << "\n"
            << "  msisdn        " << t.msisdn << "\n"
            << "  channel       " << ToString(t.channel) << "\n"
            << "  state         " << ToString(t.state) << "\n"
            << "  requested by  " << t.requested_by << "\n"
            << "  created       " << FormatRfc3339(t.created_at) << "\n";
  if (t.scheduled_for) std::cout << "  scheduled for " << FormatRfc3339(*t.scheduled_for) << "\n";
  if (t.settlement) {
    std::cout << "  settlement    charges " << t.settlement->outstanding_charges.ToDecimalString()
              << ", fee " << t.settlement->fee.ToDecimalString() << ", refund "
              << t.settlement->refund.ToDecimalString() << ", due "
              << t.settlement->amount_due.ToDecimalString() << " KZT\n";
  }
  if (!t.certificate_serial.empty()) std::cout << "  certificate   " << t.certificate_serial << "\n";
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
  if (!kind.empty()) filter.kind = kind;
  Result<std::vector<JobRecord>> jobs = TransactValue<std::vector<JobRecord>>(
      *rt.store, [&](StoreTx& tx) { return tx.ListJobs(filter); });
  if (!jobs) return Report(jobs.error());
  std::cout << fmt::format("{:<6} {:<18} {:<8} {:<20} {:>8}  {}\n", "ID", "KIND", "STATE",
                           "RUN AT", "ATTEMPTS", "LAST ERROR");
  for (const JobRecord& j : *jobs) {
    std::cout << fmt::format("{:<6} {:<18} {:<8} {:<20} {:>8}  {}\n", j.id, j.kind,
                             ToString(j.state), FormatRfc3339(j.run_at), j.attempts, j.last_error);
  }
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
    if (!msisdn) return Report(msisdn.error());
    filter.to = msisdn->e164();
  }
  Result<std::vector<SmsRecord>> list = rt.workflow->outbox().List(filter);
  if (!list) return Report(list.error());
  std::cout << fmt::format("{:<6} {:<14} {:<28} {:<4} {:<10} {:>3} {:<20} {}\n", "ID", "TO", "KIND",
                           "LANG", "STATE", "TRY", "UPDATED", "LAST ERROR");
  for (const SmsRecord& m : *list) {
    std::cout << fmt::format("{:<6} {:<14} {:<28} {:<4} {:<10} {:>3} {:<20} {}\n", m.id, m.to,
                             m.kind, m.language, ToString(m.state), m.attempts,
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
    std::cerr << "INVALID: " << verified.error().message << " (" << verified.error().reason
              << ")\n";
    return 1;
  }
  std::cout << "OK: the certificate is authentic and unaltered\n";
  return 0;
}

// ---------------------------------------------------------------- staff

// One line from stdin, without its line ending ("--password-stdin": keeps the
// password out of argv and the shell history).
std::optional<std::string> ReadPasswordFromStdin() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}

void PrintGeneratedPassword(const std::string& password) {
  if (password.empty()) return;
  std::cout << "password (shown once, hand it over and forget it): " << password << "\n";
}

int AddStaff(Runtime& rt, const std::string& op_code, const NewStaff& staff_in,
             bool password_stdin) {
  NewStaff staff = staff_in;
  if (password_stdin) {
    staff.password = ReadPasswordFromStdin();
    if (!staff.password) {
      std::cerr << "simexit: no password on standard input\n";
      return 2;
    }
  }
  Result<CreatedStaff> created = rt.staff->AddStaff(Caller::System("cli"), op_code, staff);
  if (!created) return Report(created.error());
  const StaffRecord& s = created->staff.staff;
  std::cout << "added staff " << s.id << " " << s.username << " (" << ToString(s.role)
            << (created->staff.operator_code.empty() ? "" : ", " + created->staff.operator_code)
            << ")\n";
  PrintGeneratedPassword(created->password);
  return 0;
}

int DisableStaff(Runtime& rt, const std::string& username) {
  const Caller cli = Caller::System("cli");
  Result<StaffView> staff = rt.staff->GetStaffByUsername(cli, username);
  if (!staff) return Report(staff.error());
  Result<StaffView> disabled = rt.staff->DisableStaff(cli, staff->staff.id);
  if (!disabled) return Report(disabled.error());
  std::cout << "staff " << disabled->staff.username
            << " is disabled; their sessions have ended\n";
  return 0;
}

int EnableStaff(Runtime& rt, const std::string& username) {
  const Caller cli = Caller::System("cli");
  Result<StaffView> staff = rt.staff->GetStaffByUsername(cli, username);
  if (!staff) return Report(staff.error());
  Result<StaffView> enabled = rt.staff->EnableStaff(cli, staff->staff.id);
  if (!enabled) return Report(enabled.error());
  std::cout << "staff " << enabled->staff.username << " may sign in again\n";
  return 0;
}

int ResetStaffPassword(Runtime& rt, const std::string& username, bool password_stdin) {
  const Caller cli = Caller::System("cli");
  std::optional<std::string> password;
  if (password_stdin) {
    password = ReadPasswordFromStdin();
    if (!password) {
      std::cerr << "simexit: no password on standard input\n";
      return 2;
    }
  }
  Result<StaffView> staff = rt.staff->GetStaffByUsername(cli, username);
  if (!staff) return Report(staff.error());
  Result<PasswordReset> reset = rt.staff->ResetPassword(cli, staff->staff.id, password);
  if (!reset) return Report(reset.error());
  std::cout << "password of " << reset->staff.staff.username
            << " reset; their sessions have ended\n";
  PrintGeneratedPassword(reset->password);
  return 0;
}

int ListStaff(Runtime& rt, const std::string& op_code) {
  Result<std::vector<StaffView>> list = rt.staff->ListStaff(Caller::System("cli"), op_code);
  if (!list) return Report(list.error());
  const UnixSeconds now = rt.clock.Now();
  std::cout << fmt::format("{:<6} {:<24} {:<15} {:<10} {:<9} {:<20} {}\n", "ID", "USERNAME", "ROLE",
                           "OPERATOR", "STATE", "LAST LOGIN", "NAME");
  for (const StaffView& v : *list) {
    const StaffRecord& s = v.staff;
    const char* state = s.disabled                                ? "disabled"
                        : s.locked_until && *s.locked_until > now ? "locked"
                                                                  : "active";
    std::cout << fmt::format("{:<6} {:<24} {:<15} {:<10} {:<9} {:<20} {}\n", s.id, s.username,
                             ToString(s.role), v.operator_code.empty() ? "-" : v.operator_code,
                             state, s.last_login_at ? FormatRfc3339(*s.last_login_at) : "-",
                             s.full_name);
  }
  return 0;
}

// ---------------------------------------------------------------- operator policy

// Boost.JSON has no pretty printer: two-space indentation, one member per line.
void PrintPrettyJson(std::ostream& out, const boost::json::value& value, int indent = 0) {
  const std::string pad(static_cast<std::size_t>(indent) + 2, ' ');
  const std::string closing(static_cast<std::size_t>(indent), ' ');
  if (value.is_object() && !value.as_object().empty()) {
    out << "{\n";
    bool first = true;
    for (const auto& member : value.as_object()) {
      if (!first) out << ",\n";
      first = false;
      out << pad << boost::json::serialize(boost::json::string(member.key())) << ": ";
      PrintPrettyJson(out, member.value(), indent + 2);
    }
    out << "\n" << closing << "}";
  } else if (value.is_array() && !value.as_array().empty()) {
    out << "[\n";
    bool first = true;
    for (const boost::json::value& item : value.as_array()) {
      if (!first) out << ",\n";
      first = false;
      out << pad;
      PrintPrettyJson(out, item, indent + 2);
    }
    out << "\n" << closing << "]";
  } else {
    out << boost::json::serialize(value);
  }
}

int ShowPolicy(Runtime& rt, const std::string& code) {
  Result<OperatorRecord> op = rt.operators->GetOperator(Caller::System("cli"), code);
  if (!op) return Report(op.error());
  PrintPrettyJson(std::cout, op->policy.ToJson());
  std::cout << "\n";
  return 0;
}

int SetPolicy(Runtime& rt, const std::string& code, const std::string& file) {
  std::stringstream buffer;
  if (file == "-") {
    buffer << std::cin.rdbuf();
  } else {
    std::ifstream in(file);
    if (!in) {
      std::cerr << "simexit: cannot read " << file << "\n";
      return 1;
    }
    buffer << in.rdbuf();
  }
  boost::system::error_code ec;
  boost::json::value json = boost::json::parse(buffer.str(), ec);
  if (ec) {
    std::cerr << "simexit: " << (file == "-" ? "standard input" : file)
              << " is not valid JSON: " << ec.message() << "\n";
    return 1;
  }
  // The message names the offending key (e.g. "otp.length must be ...").
  Result<Policy> policy = Policy::FromJson(json);
  if (!policy) return Report(policy.error());
  Result<OperatorRecord> op = rt.operators->SetPolicy(Caller::System("cli"), code, *policy);
  if (!op) return Report(op.error());
  std::cout << "policy of " << op->code << " updated\n";
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv) {
  CLI::App cli{"simexit: close SIM and eSIM lines cleanly", "simexit"};
  cli.require_subcommand(1);
  std::string config_file;
  cli.add_option("-c,--config", config_file, "TOML configuration file (default: none)")
      ->check(CLI::ExistingFile);

  CLI::App* serve = cli.add_subcommand("serve", "run the HTTP API and the job worker");
  CLI::App* worker = cli.add_subcommand("worker", "run the job worker only");
  bool until_idle = false;
  worker->add_flag("--until-idle", until_idle, "exit when no job is due");
  CLI::App* migrate = cli.add_subcommand("migrate", "apply database migrations and exit");
  CLI::App* demo = cli.add_subcommand("demo", "create sample operators, holders and lines");

  CLI::App* import = cli.add_subcommand("import", "import data");
  import->require_subcommand(1);
  CLI::App* import_lines = import->add_subcommand("lines", "import lines from a CSV file");
  std::string csv_file;
  bool skip_bad = false;
  import_lines->add_option("file", csv_file, "CSV file")->required()->check(CLI::ExistingFile);
  import_lines->add_flag("--skip-bad", skip_bad, "import the good rows even if some are bad");

  CLI::App* terminations = cli.add_subcommand("terminations", "inspect terminations");
  terminations->require_subcommand(1);
  CLI::App* t_list = terminations->add_subcommand("list", "list terminations, newest first");
  std::string t_state, t_operator;
  int t_limit = 50;
  t_list->add_option("--state", t_state, "only this state");
  t_list->add_option("--operator", t_operator, "only this operator code");
  t_list->add_option("--limit", t_limit, "at most this many")->check(CLI::Range(1, 10000));
  CLI::App* t_show = terminations->add_subcommand("show", "show one termination and its audit trail");
  std::string t_id;
  t_show->add_option("id", t_id, "termination id")->required();

  CLI::App* jobs = cli.add_subcommand("jobs", "inspect and retry background jobs");
  jobs->require_subcommand(1);
  CLI::App* j_list = jobs->add_subcommand("list", "list jobs");
  std::string j_state, j_kind;
  int j_limit = 50;
  j_list->add_option("--state", j_state, "pending, running, done or dead");
  j_list->add_option("--kind", j_kind, "only this kind");
  j_list->add_option("--limit", j_limit, "at most this many")->check(CLI::Range(1, 10000));
  CLI::App* j_retry = jobs->add_subcommand("retry", "put a dead job back in the queue");
  std::int64_t j_id = 0;
  j_retry->add_option("id", j_id, "job id")->required();

  CLI::App* sms = cli.add_subcommand("sms", "the SMS outbox");
  sms->require_subcommand(1);
  CLI::App* s_list = sms->add_subcommand("list", "list SMS, newest first");
  std::string s_state, s_to;
  int s_limit = 50;
  s_list->add_option("--state", s_state, "queued, submitted, delivered, failed or expired");
  s_list->add_option("--to", s_to, "only to this number");
  s_list->add_option("--limit", s_limit, "at most this many")->check(CLI::Range(1, 10000));

  CLI::App* certificate = cli.add_subcommand("certificate", "termination certificates");
  certificate->require_subcommand(1);
  CLI::App* c_verify =
      certificate->add_subcommand("verify", "verify a certificate offline (Ed25519)");
  std::string c_file, c_key;
  c_verify->add_option("file", c_file, "certificate JSON file")->required();
  c_verify->add_option("--public-key", c_key, "public key: hex, base64, or @FILE")->required();

  CLI::App* staff = cli.add_subcommand("staff", "operators' staff accounts");
  staff->require_subcommand(1);
  CLI::App* st_add =
      staff->add_subcommand("add", "add a staff member (prints a generated password once)");
  std::string st_operator, st_username;
  NewStaff st_new;
  bool st_password_stdin = false;
  st_add->add_option("--operator", st_operator, "operator code (omit for --role admin)");
  st_add->add_option("--username", st_new.username, "3-64 of a-z, 0-9, '.', '_', '-'")->required();
  st_add->add_option("--name", st_new.full_name, "full name")->required();
  st_add
      ->add_option_function<std::string>(
          "--role", [&st_new](const std::string& text) { st_new.role = *ParseStaffRole(text); },
          "agent_store, agent_phone, back_office, operator_admin or admin")
      ->check([](const std::string& text) {
        return ParseStaffRole(text) ? std::string() : "unknown role '" + text + "'";
      })
      ->required();
  st_add->add_flag("--password-stdin", st_password_stdin,
                   "read the password from standard input instead of generating one");
  CLI::App* st_disable =
      staff->add_subcommand("disable", "disable an account and end its sessions");
  st_disable->add_option("username", st_username, "username")->required();
  CLI::App* st_enable =
      staff->add_subcommand("enable", "let a disabled account sign in again");
  st_enable->add_option("username", st_username, "username")->required();
  CLI::App* st_reset = staff->add_subcommand(
      "reset", "set a new password (prints a generated one once) and end all sessions");
  st_reset->add_option("username", st_username, "username")->required();
  st_reset->add_flag("--password-stdin", st_password_stdin,
                     "read the password from standard input instead of generating one");
  CLI::App* st_list = staff->add_subcommand("list", "list staff accounts");
  st_list->add_option("--operator", st_operator, "only this operator code");

  CLI::App* op_cmd = cli.add_subcommand("operator", "operators");
  op_cmd->require_subcommand(1);
  CLI::App* op_policy = op_cmd->add_subcommand("policy", "an operator's termination policy");
  op_policy->require_subcommand(1);
  std::string op_code, op_file;
  CLI::App* op_show = op_policy->add_subcommand("show", "print the policy as JSON");
  op_show->add_option("code", op_code, "operator code")->required();
  CLI::App* op_set = op_policy->add_subcommand("set", "replace the policy from a JSON file");
  op_set->add_option("code", op_code, "operator code")->required();
  op_set->add_option("--file", op_file, "policy JSON file, or - for standard input")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  // Offline commands that need no configuration or database.
  if (c_verify->parsed()) return VerifyCertificateFile(c_file, c_key);

  const sigset_t signals = BlockStopSignals();
  Result<Config> config = LoadConfig(
      config_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(config_file),
      EnvironmentVariables());
  if (!config) {
    std::cerr << "simexit: configuration: " << config.error().message << "\n";
    return 2;
  }
  if (std::optional<LogLevel> level = ParseLogLevel(config->log.level)) SetLogLevel(*level);
  Result<std::unique_ptr<Runtime>> rt =
      OpenRuntime(*config, /*connect_smsc=*/serve->parsed() || worker->parsed());
  if (!rt) return Report(rt.error());
  Runtime& runtime = **rt;

  if (serve->parsed()) return Serve(runtime, signals);
  if (worker->parsed()) return RunWorker(runtime, until_idle, signals);
  if (migrate->parsed()) {
    Result<std::vector<int>> applied = runtime.store->AppliedMigrations();
    if (!applied) return Report(applied.error());
    std::cout << "database " << config->store.path << " is at migration "
              << (applied->empty() ? 0 : applied->back()) << "\n";
    return 0;
  }
  if (demo->parsed()) {
    Result<void> done = RunDemo(runtime, std::cout);
    return done ? 0 : Report(done.error());
  }
  if (import_lines->parsed()) {
    std::ifstream in(csv_file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Result<ImportReport> report = ImportLines(runtime, buffer.str(), skip_bad, std::cout);
    if (!report) return Report(report.error());
    return report->bad > 0 && (!skip_bad || report->imported == 0) ? 1 : 0;
  }
  if (t_list->parsed()) return ListTerminations(runtime, t_state, t_operator, t_limit);
  if (s_list->parsed()) return ListSms(runtime, s_state, s_to, s_limit);
  if (t_show->parsed()) return ShowTermination(runtime, t_id);
  if (j_list->parsed()) return ListJobs(runtime, j_state, j_kind, j_limit);
  if (st_add->parsed()) return AddStaff(runtime, st_operator, st_new, st_password_stdin);
  if (st_disable->parsed()) return DisableStaff(runtime, st_username);
  if (st_enable->parsed()) return EnableStaff(runtime, st_username);
  if (st_reset->parsed()) return ResetStaffPassword(runtime, st_username, st_password_stdin);
  if (st_list->parsed()) return ListStaff(runtime, st_operator);
  if (op_show->parsed()) return ShowPolicy(runtime, op_code);
  if (op_set->parsed()) return SetPolicy(runtime, op_code, op_file);
  if (j_retry->parsed()) {
    Result<void> done = runtime.store->Transact(
        [&](StoreTx& tx) { return tx.RetryJob(j_id, runtime.clock.Now()); });
    if (!done) return Report(done.error());
    std::cout << "job " << j_id << " is pending again\n";
    return 0;
  }
  return 2;
}

}  // namespace simexit::app
