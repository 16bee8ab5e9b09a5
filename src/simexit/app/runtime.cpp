#include "simexit/app/runtime.hpp"

#include <sys/stat.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>

#include "simexit/adapters/files/file_blob_store.hpp"
#include "simexit/adapters/osmocom/osmo_hlr_ctrl.hpp"
#include "simexit/adapters/osmocom/osmo_msc_vlr.hpp"
#include "simexit/adapters/postgres/pg_store.hpp"
#include "simexit/adapters/smpp/smpp_client.hpp"
#include "simexit/adapters/sms_sink/file_sms_sink.hpp"
#include "simexit/adapters/sqlite/sqlite_store.hpp"
#include "simexit/adapters/webhooks/http_webhook_client.hpp"
#include "simexit/app/sms_routing.hpp"
#include "simexit/common/crypto.hpp"
#include "simexit/common/log.hpp"

namespace simexit::app {
namespace {

// Stands in when hlr.kind = "none": every call fails as unavailable, so
// deprovisioning waits (and says why) instead of pretending to succeed.
class UnconfiguredHlr final : public Hlr {
 public:
  Result<HlrSubscriber> Lookup(const Imsi&) override { return Missing(); }
  Result<void> Provision(const Imsi&, const Msisdn&) override { return Missing(); }
  Result<void> Bar(const Imsi&) override { return Missing(); }
  Result<void> Remove(const Imsi&) override { return Missing(); }

 private:
  static tl::unexpected<Error> Missing() {
    return Fail(ErrorCode::kUnavailable, "hlr_not_configured",
                "no HLR is configured (hlr.kind = \"none\")");
  }
};

// Reads a secret kept in `path`, or creates it with `make()` (mode 0600).
Result<std::string> LoadOrCreateSecret(const std::filesystem::path& path,
                                       const std::function<std::string()>& make) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    std::ifstream in(path);
    std::string value;
    std::getline(in, value);
    if (value.empty()) {
      return Fail(ErrorCode::kFailedPrecondition, "invalid_secret",
                  "secret file " + path.string() + " is empty");
    }
    return value;
  }
  const std::string value = make();
  const std::filesystem::path tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << value << '\n';
    if (!out) {
      return Fail(ErrorCode::kFailedPrecondition, "secret_io",
                  "cannot write secret file " + path.string());
    }
  }
  ::chmod(tmp.c_str(), 0600);
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    return Fail(ErrorCode::kFailedPrecondition, "secret_io",
                "cannot write secret file " + path.string() + ": " + ec.message());
  }
  return value;
}

}  // namespace

Runtime::~Runtime() {
  // What waits to be done after an answer (sign-in codes' SMS) still goes
  // out, while the services and SMSC sessions it uses are all there.
  after_answer.reset();
  sms.reset();
  delivery_reports.reset();
}

Result<std::unique_ptr<Runtime>> OpenRuntime(const Config& config, bool connect_smsc) {
  auto rt = std::make_unique<Runtime>();
  rt->config = config;

  if (UsesPostgres(config.store)) {
    PostgresOptions options;
    options.pool_size = config.store.pool_size;
    Result<std::unique_ptr<PostgresStore>> store = PostgresStore::Open(config.store.url, options);
    if (!store) {
      return Fail(store.error());
    }
    rt->store = std::move(*store);
  } else {
    Result<std::unique_ptr<SqliteStore>> store = SqliteStore::Open(config.store.path);
    if (!store) {
      return Fail(store.error());
    }
    rt->store = std::move(*store);
  }
  if (Result<void> migrated = rt->store->Migrate(); !migrated) {
    return Fail(migrated.error());
  }

  if (config.hlr.kind == "osmo-hlr") {
    OsmoHlrCtrlOptions options;
    options.host = config.hlr.ctrl_host;
    options.port = static_cast<std::uint16_t>(config.hlr.ctrl_port);
    options.request_timeout = std::chrono::milliseconds(config.hlr.timeout_ms);
    rt->hlr = std::make_unique<OsmoHlrCtrl>(options);
  } else {
    rt->hlr = std::make_unique<UnconfiguredHlr>();
  }
  for (const auto& [code, msc] : config.msc) {
    OsmoMscVlrOptions options;
    options.host = msc.ctrl_host;
    options.port = static_cast<std::uint16_t>(msc.ctrl_port);
    options.request_timeout = std::chrono::milliseconds(msc.timeout_ms);
    rt->vlrs[code] = std::make_unique<OsmoMscVlr>(options);
  }
  // Each operator with an [smsc.<code>] table gets its SMSC; the others use the
  // development sink, and the start-up log says which is which.
  std::map<std::string, std::unique_ptr<SmsGateway>> smsc_routes;
  for (const auto& [code, smsc] : config.smsc) {
    if (!connect_smsc) {
      break;
    }
    smpp::SmppOptions options;
    options.host = smsc.host;
    options.port = static_cast<std::uint16_t>(smsc.port);
    options.system_id = smsc.system_id;
    options.password = smsc.password;
    options.system_type = smsc.system_type;
    options.source_addr = smsc.source_addr;
    options.rate_per_second = smsc.rate_per_second;
    options.window = smsc.window;
    options.enquire_link_interval = std::chrono::seconds(smsc.enquire_link_seconds);
    options.response_timeout = std::chrono::milliseconds(smsc.response_timeout_ms);
    smsc_routes[code] = std::make_unique<smpp::SmppClient>(options);
  }
  rt->sms = std::make_unique<SmsRouting>(std::move(smsc_routes),
                                         std::make_unique<FileSmsSink>(config.sms.sink_path));

  Result<std::unique_ptr<FileBlobStore>> blobs = FileBlobStore::Open(config.uploads.dir);
  if (!blobs) {
    return Fail(blobs.error());
  }
  rt->blobs = std::move(*blobs);

  const std::filesystem::path secrets = config.secrets.dir;
  std::error_code ec;
  std::filesystem::create_directories(secrets, ec);
  ::chmod(secrets.c_str(), 0700);
  Result<CertificateSigner> signer = CertificateSigner::LoadOrCreate(secrets / "signing.key");
  if (!signer) {
    return Fail(signer.error());
  }
  rt->signer.emplace(std::move(*signer));
  Result<std::string> holder_key =
      LoadOrCreateSecret(secrets / "holder-ref.key", [&] { return rt->random.Hex(32); });
  if (!holder_key) {
    return Fail(holder_key.error());
  }
  std::string holder_key_bytes;
  if (!HexDecode(*holder_key, &holder_key_bytes) || holder_key_bytes.size() != 32) {
    return Fail(ErrorCode::kFailedPrecondition, "invalid_secret",
                "secrets/holder-ref.key must hold 64 hex characters");
  }
  if (!config.secrets.admin_key.empty()) {
    rt->admin_key = config.secrets.admin_key;
  } else {
    Result<std::string> admin =
        LoadOrCreateSecret(secrets / "admin.key", [&] { return "sk_admin_" + rt->random.Hex(24); });
    if (!admin) {
      return Fail(admin.error());
    }
    rt->admin_key = *admin;
  }

  rt->after_answer = std::make_unique<BackgroundTasks>();
  std::string public_url = config.server.public_url;
  if (public_url.empty()) {
    public_url = "http://" + config.server.listen + ":" + std::to_string(config.server.port);
  }
  rt->ctx.reset(new ServiceContext{*rt->store, *rt->hlr, *rt->sms, rt->clock, rt->random,
                                   *rt->signer, holder_key_bytes, public_url,
                                   [vlrs = &rt->vlrs](const std::string& code) -> Vlr* {
                                     auto it = vlrs->find(code);
                                     return it == vlrs->end() ? nullptr : it->second.get();
                                   },
                                   [tasks = rt->after_answer.get()](std::function<void()> task) {
                                     tasks->Run(std::move(task));
                                   }});
  rt->ctx->minimum_quarantine_days = config.number_recycling.minimum_quarantine_days;
  rt->webhook_client = std::make_unique<HttpWebhookClient>("simexit");
  rt->ctx->webhooks = rt->webhook_client.get();
  rt->ctx->webhook_settings =
      WebhookSettings{config.webhooks.timeout_ms, config.webhooks.max_attempts,
                      config.webhooks.backoff_base_seconds, config.webhooks.backoff_max_seconds};
  rt->ctx->listen_host = config.server.listen;
  rt->ctx->listen_port = config.server.port;
  rt->webhooks = std::make_unique<WebhookService>(*rt->ctx);
  rt->idempotent_requests = std::make_unique<IdempotentRequests>(*rt->store, rt->clock, rt->random);
  rt->auth = std::make_unique<AuthService>(*rt->ctx, HashHex(rt->admin_key));
  rt->terminations = std::make_unique<TerminationService>(*rt->ctx);
  rt->operators = std::make_unique<OperatorService>(*rt->ctx);
  rt->password_hashing = std::make_unique<PasswordHashPool>(config.server.password_hash_threads,
                                                            config.server.password_hash_queue);
  rt->staff = std::make_unique<StaffService>(*rt->ctx, rt->password_hashing.get());
  rt->uploads = std::make_unique<UploadService>(*rt->ctx, *rt->blobs, config.uploads.max_bytes);
  rt->workflow = std::make_unique<TerminationWorkflow>(*rt->ctx, FaultHookFromEnvironment());
  rt->reactivations = std::make_unique<ReactivationService>(*rt->ctx);
  rt->bulk_terminations = std::make_unique<BulkTerminationService>(*rt->ctx);
  rt->number_recycling = std::make_unique<NumberRecyclingService>(
      *rt->ctx, NumberRecyclingLimits{config.number_recycling.checks_per_second_per_client,
                                      config.number_recycling.check_burst_per_client});
  rt->delivery_reports = std::make_unique<DeliveryReportQueue>(
      [outbox = &rt->workflow->outbox()](const DeliveryReport& r) {
        return outbox->RecordDeliveryReport(r);
      });
  rt->sms->SetDeliveryReportHandler(
      [queue = rt->delivery_reports.get()](const DeliveryReport& r) { queue->Push(r); });
  return rt;
}

FaultHook FaultHookFromEnvironment() {
  const char* kill_at = std::getenv("SIMEXIT_FAULT_KILL_AT");
  const char* pause_at = std::getenv("SIMEXIT_FAULT_PAUSE_AT");
  const char* pause_file = std::getenv("SIMEXIT_FAULT_PAUSE_FILE");
  const std::string kill_target = kill_at != nullptr ? kill_at : "";
  const std::string pause_target = pause_at != nullptr && pause_file != nullptr ? pause_at : "";
  if (kill_target.empty() && pause_target.empty()) {
    return {};
  }
  if (!kill_target.empty()) {
    LogWarn("fault injection armed: the process kills itself at this point",
            {{"point", kill_target}});
  }
  if (!pause_target.empty()) {
    LogWarn("fault injection armed: the first step to reach this point waits for a file to go",
            {{"point", pause_target}, {"file", std::string(pause_file)}});
  }
  auto paused = std::make_shared<std::atomic<bool>>(false);
  return [kill_target, pause_target, file = std::string(pause_file != nullptr ? pause_file : ""),
          paused](std::string_view point) {
    if (!pause_target.empty() && point == pause_target && !paused->exchange(true)) {
      LogWarn("fault injection: paused", {{"point", std::string(point)}});
      // Bounded, so that a test that forgets the file cannot hang a worker.
      for (int waited = 0; waited < 120'000 && std::filesystem::exists(file); waited += 50) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      LogWarn("fault injection: resumed", {{"point", std::string(point)}});
    }
    if (point == kill_target) {
      LogWarn("fault injection: SIGKILL", {{"point", std::string(point)}});
      std::raise(SIGKILL);
    }
  };
}

}  // namespace simexit::app
