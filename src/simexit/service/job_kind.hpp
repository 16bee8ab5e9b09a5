#pragma once
// The kinds of background work: one per workflow step, plus sending an SMS,
// delivering an event to a webhook endpoint (event_delivery.hpp), and the
// daily dormancy sweep of an operator (dormancy_sweep.hpp).
// A job row stores its kind by name (jobs.kind, the CLI's `jobs list`); the
// worker parses that name once when it claims the job, and a name this build
// does not know dead-letters the job ("unknown_job") instead of stopping the
// worker. The steps themselves are described in termination_workflow.hpp
// (provision_reactivation in reactivation_service.hpp, open_bulk_terminations
// in bulk_terminations.hpp).

#include <optional>
#include <string_view>

#include "simexit/common/enum_names.hpp"

namespace simexit {

enum class JobKind {
  kStartTermination,
  kSettle,
  kDeprovision,
  kIssueCertificate,
  kSendSms,
  kReleaseNumber,
  kSendReminder,
  kExpireConfirmation,
  kDeliverWebhook,
  kProvisionReactivation,
  kDormancySweep,
  kOpenBulkTerminations,
};

// The names as stored in jobs.kind and in the first part of a job's dedupe key.
inline constexpr EnumNames<JobKind, 12> kJobKindNames{{{
    {JobKind::kStartTermination, "start_termination"},
    {JobKind::kSettle, "settle"},
    {JobKind::kDeprovision, "deprovision"},
    {JobKind::kIssueCertificate, "issue_certificate"},
    {JobKind::kSendSms, "send_sms"},
    {JobKind::kReleaseNumber, "release_number"},
    {JobKind::kSendReminder, "send_reminder"},
    {JobKind::kExpireConfirmation, "expire_confirmation"},
    {JobKind::kDeliverWebhook, "deliver_webhook"},
    {JobKind::kProvisionReactivation, "provision_reactivation"},
    {JobKind::kDormancySweep, "dormancy_sweep"},
    {JobKind::kOpenBulkTerminations, "open_bulk_terminations"},
}}};

constexpr const char* ToString(JobKind kind) { return kJobKindNames.Name(kind); }

// The kind named `name`; nullopt for any other text (a row written by a newer
// build, or by hand).
constexpr std::optional<JobKind> ParseJobKind(std::string_view name) {
  return kJobKindNames.Parse(name);
}

}  // namespace simexit
