#include "simexit/app/cli.hpp"

#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <boost/json.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "simexit/api/http_server.hpp"
#include "simexit/api/idempotent.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/api/routes_bulk_terminations.hpp"
#include "simexit/api/routes_number_recycling.hpp"
#include "simexit/api/routes_reactivations.hpp"
#include "simexit/api/routes_webhooks.hpp"
#include "simexit/app/cli_commands.hpp"
#include "simexit/app/config.hpp"
#include "simexit/app/demo.hpp"
#include "simexit/app/import_activity.hpp"
#include "simexit/app/import_lines.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/common/log.hpp"
#include "simexit/domain/content_type.hpp"
#include "simexit/domain/msisdn.hpp"
#include "simexit/jobs/worker.hpp"
#include "simexit/service/dormancy_sweep.hpp"
#include "simexit/web/page.hpp"

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

// SMS jobs run in batches of worker.sms_batch (SmsOutbox::SendBatch).
std::vector<BatchedJobs> BatchedFor(Runtime& rt) {
  return {BatchedJobs{JobKind::kSendSms, rt.config.worker.sms_batch,
                      [&rt](JobKind kind, const std::vector<std::string>& payloads) {
                        return rt.workflow->RunBatch(kind, payloads);
                      }}};
}

JobHandler HandlerFor(Runtime& rt) {
  return
      [&rt](JobKind kind, const std::string& payload) { return rt.workflow->Run(kind, payload); };
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

}  // namespace

int Report(const Error& error) {
  std::cerr << "simexit: " << error.message << " (" << error.problem_code << ")\n";
  return 1;
}

namespace {

// The daily jobs a worker keeps going: today's dormancy sweep of every
// operator that asks for one (service/dormancy_sweep.hpp).
Result<void> ScheduleSweeps(Runtime& rt) {
  return rt.store->Transact(
      [&](StoreTx& tx) { return ScheduleDormancySweeps(tx, rt.clock.Now()); });
}

int Serve(Runtime& rt, const sigset_t& signals) {
  api::ApiServices services{*rt.auth,  *rt.terminations, *rt.operators,
                            *rt.staff, *rt.uploads,      *rt.signer};
  api::Router router = api::BuildRouter(services);
  api::AddNumberRecyclingRoutes(router, services, *rt.number_recycling);
  api::AddWebhookRoutes(router, services, *rt.webhooks);
  api::AddReactivationRoutes(router, services, *rt.reactivations);
  api::AddBulkTerminationRoutes(router, services, *rt.bulk_terminations);
  api::AddIdempotency(router, *rt.auth, *rt.idempotent_requests);
  api::HttpServerOptions options;
  options.address = rt.config.server.listen;
  options.port = static_cast<unsigned short>(rt.config.server.port);
  options.io_threads = rt.config.server.io_threads;
  options.handler_threads = rt.config.server.handler_threads;
  options.body_limit = static_cast<std::size_t>(rt.config.server.body_limit_bytes);
  const ServerConfig& server_config = rt.config.server;
  options.max_connections = static_cast<std::size_t>(server_config.max_connections);
  options.max_connections_per_address =
      static_cast<std::size_t>(server_config.max_connections_per_address);
  options.header_timeout = std::chrono::seconds(server_config.header_timeout_seconds);
  options.idle_timeout = std::chrono::seconds(server_config.idle_timeout_seconds);
  options.rate_per_address = {static_cast<double>(server_config.requests_per_second_per_address),
                              static_cast<double>(server_config.request_burst_per_address)};
  options.rate_per_credential = {
      static_cast<double>(server_config.requests_per_second_per_credential),
      static_cast<double>(server_config.request_burst_per_credential)};
  options.rate_limit_max_keys = static_cast<std::size_t>(server_config.rate_limit_max_entries);
  options.trusted_proxies = TrustedProxyList(server_config);
  options.public_https = server_config.public_url.rfind("https://", 0) == 0;
  // Scans are megabytes; every other request keeps the small limit. Only for
  // callers that may upload (staff, operator and admin credentials that the
  // store knows and that are in force), checked before any of the body is
  // read: a made-up "Bearer sk_..." gets the small limit. A hashed lookup, no
  // password hashing.
  auto staff_or_key = [&auth = *rt.auth](const api::HttpRequest& head) {
    const std::string bearer = api::BearerOf(head);
    if (bearer.empty()) {
      return false;
    }
    Result<Caller> caller = auth.Authenticate(bearer);
    return caller && caller->kind != CallerKind::kHolder;
  };
  options.body_limit_rules.push_back({"POST", "/v1/uploads",
                                      static_cast<std::size_t>(rt.config.uploads.max_bytes),
                                      std::string(kUploadTooLarge), staff_or_key});
  // The console's scans (web/console_requests.cpp): the same limit, for a
  // staff session cookie in force.
  options.body_limit_rules.push_back(
      {"POST", "/console/uploads", static_cast<std::size_t>(rt.config.uploads.max_bytes),
       std::string(kUploadTooLarge), [&auth = *rt.auth](const api::HttpRequest& head) {
         const auto cookies = web::ParseCookies(head.Header("cookie"));
         auto it = cookies.find(std::string(web::kStaffSessionCookie));
         if (it == cookies.end() || it->second.empty()) {
           return false;
         }
         Result<Caller> caller = auth.Authenticate(it->second);
         return caller && caller->staff_id != 0;
       }});
  // Paid-activity reports (up to kMaxActivityRows rows, about 75 bytes each):
  // a larger limit for POST /v1/operators/{code}/activity only, for callers
  // other than holders whose credential is in force.
  options.body_limit_rules.push_back({"POST", "/v1/operators", std::size_t{2} * 1024 * 1024,
                                      "body_too_large", staff_or_key, "/activity"});
  // Bulk closures (up to kMaxBulkNumbers numbers, at most 64 bytes each as
  // given, about 16 as E.164): 4 MiB for POST
  // /v1/operators/{code}/bulk-terminations only, for the same callers.
  options.body_limit_rules.push_back({"POST", "/v1/operators", std::size_t{4} * 1024 * 1024,
                                      "body_too_large", staff_or_key, "/bulk-terminations"});
  // Confirmation link tokens prove the holder's consent: never in the log.
  options.secret_path_prefixes = {"/confirm/", "/v1/confirmations/"};
  api::HttpServer server(options,
                         [&router](const api::HttpRequest& r) { return router.Dispatch(r); });
  if (Result<void> started = server.Start(); !started) {
    return Report(started.error());
  }

  std::vector<std::unique_ptr<Worker>> workers;
  std::vector<std::thread> threads;
  if (rt.config.worker.enabled) {
    if (Result<void> scheduled = ScheduleSweeps(rt); !scheduled) {
      return Report(scheduled.error());
    }
    for (int i = 0; i < rt.config.worker.threads; ++i) {
      workers.push_back(std::make_unique<Worker>(
          *rt.store, rt.clock, HandlerFor(rt),
          WorkerOptionsFrom(rt.config, WorkerOwner("serve", i)), BatchedFor(rt)));
      threads.emplace_back([w = workers.back().get()] { w->Run(); });
    }
  }
  LogInfo("simexit serving", {{"url", rt.ctx->public_url},
                              {"store", DescribeStore(rt.config.store)},
                              {"hlr", rt.config.hlr.kind},
                              {"sms", rt.sms->Describe()},
                              {"workers", static_cast<std::int64_t>(workers.size())}});
  std::cout << "simexit is listening on http://" << rt.config.server.listen << ":" << server.port()
            << "  (SMS: " << rt.sms->Describe() << ")" << std::endl;

  const int sig = WaitForSignal(signals);
  LogInfo("shutting down", {{"signal", sig}});
  server.Shutdown();
  for (auto& w : workers) {
    w->Stop();
  }
  for (auto& t : threads) {
    t.join();
  }
  LogInfo("stopped");
  return 0;
}

int RunWorker(Runtime& rt, bool until_idle, const sigset_t& signals) {
  if (Result<void> scheduled = ScheduleSweeps(rt); !scheduled) {
    return Report(scheduled.error());
  }
  Worker worker(*rt.store, rt.clock, HandlerFor(rt),
                WorkerOptionsFrom(rt.config, WorkerOwner("worker", 0)), BatchedFor(rt));
  if (until_idle) {
    Result<int> ran = worker.RunUntilIdle();
    if (!ran) {
      return Report(ran.error());
    }
    std::cout << *ran << " job(s) run\n";
    return 0;
  }
  std::thread waiter([&] {
    WaitForSignal(signals);
    worker.Stop();
  });
  worker.Run();
  // Wake the waiter if Run() ended for another reason. SIGTERM is blocked in
  // every thread and the waiter takes it with sigwait(): it wakes that one
  // thread, it does not stop the process.
  pthread_kill(waiter.native_handle(), SIGTERM);  // NOLINT(bugprone-bad-signal-to-kill-thread)
  waiter.join();
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
  CLI::App* import_activity = import->add_subcommand(
      "activity", "record lines' paid activity from a CSV file (msisdn,last_paid_activity_at)");
  import_activity->add_option("file", csv_file, "CSV file")->required()->check(CLI::ExistingFile);
  import_activity->add_flag("--skip-bad", skip_bad, "record the good rows even if some are bad");

  CLI::App* sweep = cli.add_subcommand("sweep", "periodic sweeps over lines");
  sweep->require_subcommand(1);
  CLI::App* sweep_dormant =
      sweep->add_subcommand("dormant", "warn and close lines without paid activity");
  std::string sweep_operator;
  bool sweep_dry_run = false;
  sweep_dormant->add_option("--operator", sweep_operator, "operator code")->required();
  sweep_dormant->add_flag("--dry-run", sweep_dry_run, "print what would happen, change nothing");

  CLI::App* terminate = cli.add_subcommand(
      "terminate", "close many lines of an operator at once (a bulk termination)");
  std::string b_file, b_operator, b_reason;
  bool b_no_wait = false;
  terminate->add_option("--file", b_file, "numbers, one a line")
      ->required()
      ->check(CLI::ExistingFile);
  terminate->add_option("--operator", b_operator, "operator code")->required();
  terminate
      ->add_option("--reason", b_reason,
                   "contract_ended, suspected_fraud, regulator_order or operator_decision")
      ->required();
  terminate->add_flag("--no-wait", b_no_wait, "print the bulk's id and exit; do not follow it");

  CLI::App* terminations = cli.add_subcommand("terminations", "inspect terminations");
  terminations->require_subcommand(1);
  CLI::App* t_list = terminations->add_subcommand("list", "list terminations, newest first");
  std::string t_state, t_operator;
  int t_limit = 50;
  t_list->add_option("--state", t_state, "only this state");
  t_list->add_option("--operator", t_operator, "only this operator code");
  t_list->add_option("--limit", t_limit, "at most this many")->check(CLI::Range(1, 10000));
  CLI::App* t_show =
      terminations->add_subcommand("show", "show one termination and its audit trail");
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
  std::string s_state, s_recipient;
  int s_limit = 50;
  s_list->add_option("--state", s_state, "queued, submitted, delivered, failed or expired");
  s_list->add_option("--recipient,--to", s_recipient, "only to this number (--to is the old name)");
  s_list->add_option("--limit", s_limit, "at most this many")->check(CLI::Range(1, 10000));

  CLI::App* check = cli.add_subcommand(
      "check", "verify the invariants on the database; exit 1 naming each violation");
  int check_limit = 100;
  check->add_option("--limit", check_limit, "report at most this many per invariant")
      ->check(CLI::Range(1, 100000));

  CLI::App* audit = cli.add_subcommand("audit", "the tamper-evident audit chain (docs/audit.md)");
  audit->require_subcommand(1);
  CLI::App* a_verify = audit->add_subcommand(
      "verify", "walk the audit chains; exit 1 naming the first broken link of each");
  std::string a_operator, a_from, a_to, a_out;
  a_verify->add_option("--operator", a_operator, "only this operator's chain");
  CLI::App* a_export = audit->add_subcommand(
      "export", "write an operator's links and records of a date range, signed (Ed25519)");
  a_export->add_option("--operator", a_operator, "operator code")->required();
  a_export->add_option("--from", a_from, "first UTC day, YYYY-MM-DD")->required();
  a_export->add_option("--to", a_to, "last UTC day, YYYY-MM-DD")->required();
  a_export->add_option("--out", a_out, "export file; its signature goes to FILE.sig")->required();

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
  CLI::App* st_enable = staff->add_subcommand("enable", "let a disabled account sign in again");
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

  CLI::App* rc = cli.add_subcommand("recycling-clients",
                                    "third parties that check numbers (number recycling)");
  rc->require_subcommand(1);
  std::string rc_operator, rc_name;
  std::vector<std::string> rc_scopes;
  std::int64_t rc_id = 0;
  int rc_limit = 50;
  CLI::App* rc_create = rc->add_subcommand("create", "create a client (prints its key once)");
  rc_create->add_option("--operator", rc_operator, "operator code")->required();
  rc_create->add_option("--name", rc_name, "the client's name, e.g. a bank")->required();
  rc_create->add_option("--scope", rc_scopes,
                        "scope (default number-recycling:check); repeat for more");
  CLI::App* rc_list = rc->add_subcommand("list", "list clients");
  rc_list->add_option("--operator", rc_operator, "only this operator code");
  CLI::App* rc_revoke = rc->add_subcommand("revoke", "revoke a client's key");
  rc_revoke->add_option("id", rc_id, "client id")->required();
  CLI::App* rc_checks = rc->add_subcommand("checks", "a client's recorded checks, newest first");
  rc_checks->add_option("id", rc_id, "client id")->required();
  rc_checks->add_option("--limit", rc_limit, "at most this many")->check(CLI::Range(1, 10000));

  CLI::App* wh = cli.add_subcommand("webhooks", "operators' webhook endpoints for events");
  wh->require_subcommand(1);
  std::string wh_operator, wh_url, wh_state;
  std::vector<std::string> wh_types;
  std::int64_t wh_id = 0;
  int wh_limit = 50;
  CLI::App* wh_list = wh->add_subcommand("list", "list an operator's webhooks");
  wh_list->add_option("--operator", wh_operator, "operator code")->required();
  CLI::App* wh_add = wh->add_subcommand("add", "register a webhook (prints its secret once)");
  wh_add->add_option("--operator", wh_operator, "operator code")->required();
  wh_add->add_option("--url", wh_url, "http://host:port/path")->required();
  wh_add->add_option("--event-type", wh_types, "receive only this type; repeat for more");
  CLI::App* wh_remove = wh->add_subcommand("remove", "remove a webhook");
  wh_remove->add_option("--operator", wh_operator, "operator code")->required();
  wh_remove->add_option("id", wh_id, "webhook id")->required();
  CLI::App* wh_deliveries = wh->add_subcommand("deliveries", "deliveries, newest first");
  wh_deliveries->add_option("--operator", wh_operator, "operator code")->required();
  wh_deliveries->add_option("--state", wh_state, "pending, delivered or dead");
  wh_deliveries->add_option("--limit", wh_limit, "at most this many")->check(CLI::Range(1, 10000));
  CLI::App* wh_retry = wh->add_subcommand("retry", "send a dead delivery again");
  wh_retry->add_option("--operator", wh_operator, "operator code")->required();
  wh_retry->add_option("id", wh_id, "delivery id")->required();

  CLI::App* report_cmd = cli.add_subcommand("report", "reports");
  report_cmd->require_subcommand(1);
  std::string r_since;
  CLI::App* r_disconnections = report_cmd->add_subcommand(
      "disconnections", "CSV: number, date of its most recent permanent disconnection");
  r_disconnections->add_option("--since", r_since, "YYYY-MM-DD")->required();

  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return cli.exit(e);
  }

  // Offline commands that need no configuration or database.
  if (c_verify->parsed()) {
    return VerifyCertificateFile(c_file, c_key);
  }

  const sigset_t signals = BlockStopSignals();
  Result<Config> config = LoadConfig(
      config_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(config_file),
      EnvironmentVariables());
  if (!config) {
    std::cerr << "simexit: configuration: " << config.error().message << "\n";
    return 2;
  }
  if (std::optional<LogLevel> level = ParseLogLevel(config->log.level)) {
    SetLogLevel(*level);
  }
  Result<std::unique_ptr<Runtime>> rt =
      OpenRuntime(*config, /*connect_smsc=*/serve->parsed() || worker->parsed());
  if (!rt) {
    return Report(rt.error());
  }
  Runtime& runtime = **rt;

  if (serve->parsed()) {
    return Serve(runtime, signals);
  }
  if (worker->parsed()) {
    return RunWorker(runtime, until_idle, signals);
  }
  if (migrate->parsed()) {
    Result<std::vector<int>> applied = runtime.store->AppliedMigrations();
    if (!applied) {
      return Report(applied.error());
    }
    std::cout << "database " << DescribeStore(config->store) << " is at migration "
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
    if (!report) {
      return Report(report.error());
    }
    return report->bad > 0 && (!skip_bad || report->imported == 0) ? 1 : 0;
  }
  if (import_activity->parsed()) {
    std::ifstream in(csv_file);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Result<ActivityReport> report = ImportActivity(runtime, buffer.str(), skip_bad, std::cout);
    if (!report) {
      return Report(report.error());
    }
    return report->bad.empty() || (report->written && report->updated + report->unchanged > 0) ? 0
                                                                                               : 1;
  }
  if (sweep_dormant->parsed()) {
    return SweepDormant(runtime, sweep_operator, sweep_dry_run);
  }
  if (terminate->parsed()) {
    return TerminateInBulk(runtime, b_file, b_operator, b_reason, !b_no_wait, signals);
  }
  if (t_list->parsed()) {
    return ListTerminations(runtime, t_state, t_operator, t_limit);
  }
  if (s_list->parsed()) {
    return ListSms(runtime, s_state, s_recipient, s_limit);
  }
  if (t_show->parsed()) {
    return ShowTermination(runtime, t_id);
  }
  if (j_list->parsed()) {
    return ListJobs(runtime, j_state, j_kind, j_limit);
  }
  if (check->parsed()) {
    return CheckInvariants(runtime, check_limit);
  }
  if (a_verify->parsed()) {
    return VerifyAudit(runtime, a_operator);
  }
  if (a_export->parsed()) {
    return ExportAudit(runtime, a_operator, a_from, a_to, a_out);
  }
  if (st_add->parsed()) {
    return AddStaff(runtime, st_operator, st_new, st_password_stdin);
  }
  if (st_disable->parsed()) {
    return DisableStaff(runtime, st_username);
  }
  if (st_enable->parsed()) {
    return EnableStaff(runtime, st_username);
  }
  if (st_reset->parsed()) {
    return ResetStaffPassword(runtime, st_username, st_password_stdin);
  }
  if (st_list->parsed()) {
    return ListStaff(runtime, st_operator);
  }
  if (op_show->parsed()) {
    return ShowPolicy(runtime, op_code);
  }
  if (op_set->parsed()) {
    return SetPolicy(runtime, op_code, op_file);
  }
  if (rc_create->parsed()) {
    return CreateRecyclingClient(runtime, rc_operator, rc_name, rc_scopes);
  }
  if (rc_list->parsed()) {
    return ListRecyclingClients(runtime, rc_operator);
  }
  if (rc_revoke->parsed()) {
    return RevokeRecyclingClient(runtime, rc_id);
  }
  if (rc_checks->parsed()) {
    return ListRecyclingChecks(runtime, rc_id, rc_limit);
  }
  if (wh_list->parsed()) {
    return ListWebhooks(runtime, wh_operator);
  }
  if (wh_add->parsed()) {
    return AddWebhook(runtime, wh_operator, wh_url, wh_types);
  }
  if (wh_remove->parsed()) {
    return RemoveWebhook(runtime, wh_operator, wh_id);
  }
  if (wh_deliveries->parsed()) {
    return ListWebhookDeliveries(runtime, wh_operator, wh_state, wh_limit);
  }
  if (wh_retry->parsed()) {
    return RetryWebhookDelivery(runtime, wh_operator, wh_id);
  }
  if (r_disconnections->parsed()) {
    return ReportDisconnections(runtime, r_since);
  }
  if (j_retry->parsed()) {
    Result<void> done = runtime.store->Transact(
        [&](StoreTx& tx) { return tx.RetryJob(j_id, runtime.clock.Now()); });
    if (!done) {
      return Report(done.error());
    }
    std::cout << "job " << j_id << " is pending again\n";
    return 0;
  }
  return 2;
}

}  // namespace simexit::app
