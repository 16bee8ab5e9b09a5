#include "simexit/app/cli.hpp"

#include <CLI/CLI.hpp>
#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

#include "simexit/app/cli_commands.hpp"
#include "simexit/app/config.hpp"
#include "simexit/app/demo.hpp"
#include "simexit/app/import_activity.hpp"
#include "simexit/app/import_lines.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/common/log.hpp"

namespace simexit::app {

int Report(const Error& error) {
  std::cerr << "simexit: " << error.message << " (" << error.problem_code << ")\n";
  return 1;
}

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
