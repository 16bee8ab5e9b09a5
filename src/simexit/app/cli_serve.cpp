// `simexit serve` and `simexit worker`: the long-running processes, and the
// signal handling they share (cli_commands.hpp).
#include <fmt/format.h>
#include <pthread.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

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
#include "simexit/app/runtime.hpp"
#include "simexit/common/log.hpp"
#include "simexit/domain/content_type.hpp"
#include "simexit/jobs/worker.hpp"
#include "simexit/service/dormancy_sweep.hpp"
#include "simexit/web/page.hpp"
#include "simexit/web/pages.hpp"

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

int WaitForSignal(const sigset_t& set) {
  int sig = 0;
  sigwait(&set, &sig);
  return sig;
}

// The daily jobs a worker keeps going: today's dormancy sweep of every
// operator that asks for one (service/dormancy_sweep.hpp).
Result<void> ScheduleSweeps(Runtime& rt) {
  return rt.store->Transact(
      [&](StoreTx& tx) { return ScheduleDormancySweeps(tx, rt.clock.Now()); });
}

}  // namespace

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

int Serve(Runtime& rt, const sigset_t& signals) {
  api::ApiServices services{*rt.auth,  *rt.terminations, *rt.operators,
                            *rt.staff, *rt.uploads,      *rt.signer};
  api::Router router = api::BuildRouter(services);
  api::AddNumberRecyclingRoutes(router, services, *rt.number_recycling);
  api::AddWebhookRoutes(router, services, *rt.webhooks);
  api::AddReactivationRoutes(router, services, *rt.reactivations);
  web::AddConsoleReactivationPages(router, services, *rt.reactivations);
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

}  // namespace simexit::app
