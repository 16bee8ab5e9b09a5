#pragma once
// Wiring: the only place that chooses concrete adapters. Builds the store, HLR,
// SMS gateway, signer and services from the configuration.

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "simexit/app/config.hpp"
#include "simexit/app/delivery_reports.hpp"
#include "simexit/certificate/signer.hpp"
#include "simexit/common/background_tasks.hpp"
#include "simexit/common/clock.hpp"
#include "simexit/common/random.hpp"
#include "simexit/ports/blob_store.hpp"
#include "simexit/ports/hlr.hpp"
#include "simexit/ports/sms_gateway.hpp"
#include "simexit/ports/store.hpp"
#include "simexit/ports/vlr.hpp"
#include "simexit/service/auth_service.hpp"
#include "simexit/service/bulk_terminations.hpp"
#include "simexit/service/context.hpp"
#include "simexit/service/idempotent_requests.hpp"
#include "simexit/service/number_recycling.hpp"
#include "simexit/service/operator_service.hpp"
#include "simexit/service/reactivation_service.hpp"
#include "simexit/service/staff_service.hpp"
#include "simexit/service/termination_service.hpp"
#include "simexit/service/termination_workflow.hpp"
#include "simexit/service/upload_service.hpp"
#include "simexit/service/webhook_service.hpp"

namespace simexit::app {

struct Runtime {
  // Stops the SMSC sessions first, so no delivery report reaches the
  // services while they are being destroyed.
  ~Runtime();

  Config config;
  std::unique_ptr<Store> store;
  std::unique_ptr<Hlr> hlr;
  std::unique_ptr<SmsGateway> sms;
  std::map<std::string, std::unique_ptr<Vlr>> vlrs;  // by operator code ([msc.<code>])
  std::unique_ptr<BlobStore> blobs;                  // uploaded files (uploads.dir)
  SystemClock clock;
  SodiumRandom random;
  std::optional<CertificateSigner> signer;
  std::string admin_key;  // the admin API key (from config or secrets/admin.key)
  // Work done after the answer (ServiceContext::after_answer); drained first
  // when the runtime ends, while the SMSC sessions are still open.
  std::unique_ptr<BackgroundTasks> after_answer;
  std::unique_ptr<ServiceContext> ctx;
  std::unique_ptr<AuthService> auth;
  std::unique_ptr<TerminationService> terminations;
  std::unique_ptr<OperatorService> operators;
  // Staff password checks (server.password_hash_threads / _queue); before
  // `staff`, which uses it.
  std::unique_ptr<PasswordHashPool> password_hashing;
  std::unique_ptr<StaffService> staff;
  std::unique_ptr<UploadService> uploads;
  std::unique_ptr<TerminationWorkflow> workflow;
  std::unique_ptr<NumberRecyclingService> number_recycling;
  std::unique_ptr<ReactivationService> reactivations;
  std::unique_ptr<BulkTerminationService> bulk_terminations;
  std::unique_ptr<DeliveryReportQueue> delivery_reports;
  // Events out to the operators' webhooks (docs/events.md).
  std::unique_ptr<WebhookClient> webhook_client;
  std::unique_ptr<WebhookService> webhooks;
  // The answers of POSTs with an Idempotency-Key (api/idempotent.hpp).
  std::unique_ptr<IdempotentRequests> idempotent_requests;
};

// Opens everything and applies migrations. Errors carry what to fix. SMSC
// sessions are opened only with `connect_smsc` (serve, worker); other commands
// write nothing to an SMSC and bind none.
Result<std::unique_ptr<Runtime>> OpenRuntime(const Config& config, bool connect_smsc);

// A FaultHook from the environment (fault tests only; empty when neither is set):
//  - SIMEXIT_FAULT_KILL_AT=point: the process kills itself with SIGKILL when it
//    reaches the point;
//  - SIMEXIT_FAULT_PAUSE_AT=point with SIMEXIT_FAULT_PAUSE_FILE=path: the first
//    step to reach the point logs "fault injection: paused" and waits there
//    while the file exists (at most 120 s), so a test can make something happen
//    in the middle of a step (a database fail-over) and then let it go on.
FaultHook FaultHookFromEnvironment();

}  // namespace simexit::app
