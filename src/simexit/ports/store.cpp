#include "simexit/ports/store.hpp"

#include "simexit/common/enum_names.hpp"

namespace simexit {
namespace {

// The names are stored in the database (CHECKed columns) and shown by the CLI.
constexpr EnumNames<LineKind, 2> kLineKindNames{{{
    {LineKind::kPhysical, "physical"},
    {LineKind::kEsim, "esim"},
}}};

constexpr EnumNames<JobState, 4> kJobStateNames{{{
    {JobState::kPending, "pending"},
    {JobState::kRunning, "running"},
    {JobState::kDone, "done"},
    {JobState::kDead, "dead"},
}}};

constexpr EnumNames<SmsState, 5> kSmsStateNames{{{
    {SmsState::kQueued, "queued"},
    {SmsState::kSubmitted, "submitted"},
    {SmsState::kDelivered, "delivered"},
    {SmsState::kFailed, "failed"},
    {SmsState::kExpired, "expired"},
}}};

// Stored in number_recycling_checks.answer (CHECKed) and printed by the CLI.
constexpr EnumNames<RecyclingAnswer, 4> kRecyclingAnswerNames{{{
    {RecyclingAnswer::kRecycled, "recycled"},
    {RecyclingAnswer::kNotRecycled, "not_recycled"},
    {RecyclingAnswer::kNotFound, "not_found"},
    {RecyclingAnswer::kNoData, "no_data"},
}}};

// Stored in webhook_deliveries.state (CHECKed) and shown by the API and CLI.
constexpr EnumNames<WebhookDeliveryState, 3> kWebhookDeliveryStateNames{{{
    {WebhookDeliveryState::kPending, "pending"},
    {WebhookDeliveryState::kDelivered, "delivered"},
    {WebhookDeliveryState::kDead, "dead"},
}}};

// Stored in bulk_termination_lines.state (CHECKed).
constexpr EnumNames<BulkLineState, 3> kBulkLineStateNames{{{
    {BulkLineState::kPending, "pending"},
    {BulkLineState::kOpened, "opened"},
    {BulkLineState::kFailed, "failed"},
}}};

}  // namespace

const char* ToString(BulkLineState state) { return kBulkLineStateNames.Name(state); }
std::optional<BulkLineState> ParseBulkLineState(std::string_view text) {
  return kBulkLineStateNames.Parse(text);
}

const char* ToString(WebhookDeliveryState state) { return kWebhookDeliveryStateNames.Name(state); }
std::optional<WebhookDeliveryState> ParseWebhookDeliveryState(std::string_view text) {
  return kWebhookDeliveryStateNames.Parse(text);
}

const char* ToString(RecyclingAnswer answer) { return kRecyclingAnswerNames.Name(answer); }
std::optional<RecyclingAnswer> ParseRecyclingAnswer(std::string_view text) {
  return kRecyclingAnswerNames.Parse(text);
}

const char* ToString(LineKind kind) { return kLineKindNames.Name(kind); }
std::optional<LineKind> ParseLineKind(std::string_view text) { return kLineKindNames.Parse(text); }

const char* ToString(JobState state) { return kJobStateNames.Name(state); }
std::optional<JobState> ParseJobState(std::string_view text) { return kJobStateNames.Parse(text); }

const char* ToString(SmsState state) { return kSmsStateNames.Name(state); }
std::optional<SmsState> ParseSmsState(std::string_view text) { return kSmsStateNames.Parse(text); }

}  // namespace simexit
