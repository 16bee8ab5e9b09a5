#include "simexit/service/number_recycling.hpp"

#include <algorithm>

#include "simexit/common/crypto.hpp"
#include "simexit/common/log.hpp"
#include "simexit/domain/msisdn.hpp"

namespace simexit {
namespace {

constexpr UnixSeconds kDay = 86400;

tl::unexpected<Error> InsufficientRole() {
  return Fail(ErrorCode::kPermissionDenied, "insufficient_role",
              "only operator_admin staff and admins manage number recycling clients");
}

tl::unexpected<Error> OperatorNotFound() {
  return Fail(ErrorCode::kNotFound, "operator_not_found", "no such operator");
}

tl::unexpected<Error> ClientNotFound() {
  return Fail(ErrorCode::kNotFound, "recycling_client_not_found",
              "no such number recycling client");
}

// Admins (and the CLI, a system caller) everywhere; operator_admin staff at
// their own operator.
bool MayManage(const Caller& caller) {
  return caller.kind == CallerKind::kAdmin || caller.kind == CallerKind::kSystem ||
         (caller.kind == CallerKind::kStaff && caller.role == StaffRole::kOperatorAdmin);
}

bool MaySeeOperator(const Caller& caller, std::int64_t operator_id) {
  return caller.kind == CallerKind::kAdmin || caller.kind == CallerKind::kSystem ||
         caller.operator_id == operator_id;
}

UnixSeconds DayStart(const CivilDate& date) {
  UnixSeconds at = 0;
  ParseRfc3339(date.ToString(), &at);  // a valid CivilDate always parses
  return at;
}

Result<RecyclingClientView> ViewOf(StoreTx& tx, NumberRecyclingClientRecord client) {
  SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(client.operator_id));
  client.key_hash.clear();
  return RecyclingClientView{std::move(client), op.code};
}

// The client `id` if the caller may manage it. Another operator's client is
// not found, exactly like one that does not exist (checked before the role,
// so a caller learns nothing about other operators' clients).
Result<NumberRecyclingClientRecord> ClientFor(StoreTx& tx, const Caller& caller, std::int64_t id) {
  Result<NumberRecyclingClientRecord> client = tx.GetRecyclingClient(id);
  if (!client) {
    if (client.error().code == ErrorCode::kNotFound) {
      return ClientNotFound();
    }
    return Fail(client.error());
  }
  if (!MaySeeOperator(caller, client->operator_id)) {
    return ClientNotFound();
  }
  if (!MayManage(caller)) {
    return InsufficientRole();
  }
  return client;
}

Result<void> ValidateNewClient(const NewRecyclingClient& c) {
  if (c.name.empty() || c.name.size() > 200) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_recycling_client", "name",
                     "name must be 1 to 200 bytes");
  }
  for (const std::string& scope : c.scopes) {
    if (scope != kNumberRecyclingCheckScope) {
      return FailField(ErrorCode::kInvalidArgument, "invalid_recycling_client", "scopes",
                       "the only scope is \"number-recycling:check\"");
    }
  }
  return {};
}

}  // namespace

RecyclingAnswer AnswerFor(const std::optional<NumberHistory>& history, std::int64_t operator_id,
                          UnixSeconds day_start) {
  if (!history || history->operator_id != operator_id) {
    return RecyclingAnswer::kNotFound;
  }
  // The history starts on the day simexit learnt of the line.
  const UnixSeconds known_from_day = history->known_since - history->known_since % kDay;
  if (day_start < known_from_day) {
    return RecyclingAnswer::kNoData;
  }
  const bool held_now =
      history->status == LineStatus::kActive || history->status == LineStatus::kBarred;
  if (!held_now) {
    return RecyclingAnswer::kRecycled;
  }
  if (history->last_disconnected_at && *history->last_disconnected_at >= day_start) {
    return RecyclingAnswer::kRecycled;
  }
  return RecyclingAnswer::kNotRecycled;
}

NumberRecyclingService::NumberRecyclingService(ServiceContext& ctx, NumberRecyclingLimits limits)
    : ctx_(ctx),
      limits_(limits),
      per_client_(RateLimit{static_cast<double>(limits.checks_per_second_per_client),
                            static_cast<double>(limits.check_burst_per_client)},
                  100'000) {}

Result<NumberRecyclingClientRecord> NumberRecyclingService::Authenticate(const std::string& key) {
  auto unauthenticated = [] {
    return Fail(ErrorCode::kUnauthenticated, "unauthenticated",
                "missing, unknown or revoked number recycling key");
  };
  if (key.rfind("nrc_", 0) != 0 || key.size() > 200) {
    return unauthenticated();
  }
  const std::string hash = HashHex(key);
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<NumberRecyclingClientRecord> client,
      TransactValue<std::optional<NumberRecyclingClientRecord>>(
          ctx_.store, [&](StoreTx& tx) { return tx.FindRecyclingClient(hash); }));
  if (!client || client->revoked_at) {
    return unauthenticated();
  }
  return std::move(*client);
}

Result<std::vector<RecyclingAnswer>> NumberRecyclingService::Check(
    const NumberRecyclingClientRecord& client, const RecyclingCheck& check,
    std::chrono::seconds* retry_after) {
  if (std::find(client.scopes.begin(), client.scopes.end(), kNumberRecyclingCheckScope) ==
      client.scopes.end()) {
    return Fail(ErrorCode::kPermissionDenied, "recycling_scope_missing",
                "this client does not hold the scope number-recycling:check");
  }
  const UnixSeconds now = ctx_.clock.Now();
  const UnixSeconds day_start = DayStart(check.specified_date);
  if (day_start > now) {
    return FailField(ErrorCode::kInvalidArgument, "recycling_date_in_future", "specifiedDate",
                     "specifiedDate is after today (UTC)");
  }
  if (std::optional<std::chrono::seconds> wait =
          per_client_.Take(std::to_string(client.id), RateLimiter::Clock::now(),
                           static_cast<double>(check.numbers.size()));
      wait) {
    if (retry_after != nullptr) {
      *retry_after = *wait;
    }
    return Fail(ErrorCode::kResourceExhausted, "recycling_rate_limited",
                "this client's number recycling checks are over its rate; retry later");
  }
  const std::string& request_id = CurrentRequestId();
  return TransactValue<std::vector<RecyclingAnswer>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<RecyclingAnswer>> {
        std::vector<RecyclingAnswer> answers;
        std::vector<NumberRecyclingCheckRecord> records;
        answers.reserve(check.numbers.size());
        records.reserve(check.numbers.size());
        for (const std::string& number : check.numbers) {
          // Any country's number may be asked about; only a Kazakhstan
          // mobile number can be a line here.
          std::optional<NumberHistory> history;
          if (Result<Msisdn> msisdn = Msisdn::Parse(number)) {
            SIMEXIT_ASSIGN_OR_RETURN(history, tx.FindNumberHistory(*msisdn));
          }
          const RecyclingAnswer answer = AnswerFor(history, client.operator_id, day_start);
          answers.push_back(answer);
          records.push_back(NumberRecyclingCheckRecord{0, client.id, client.operator_id, number,
                                                       check.specified_date, answer,
                                                       check.correlator, request_id, now});
        }
        SIMEXIT_TRY(tx.AppendRecyclingChecks(records));
        return answers;
      });
}

Result<CreatedRecyclingClient> NumberRecyclingService::CreateClient(const Caller& caller,
                                                                    const NewRecyclingClient& c) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<CreatedRecyclingClient>(
      ctx_.store, [&](StoreTx& tx) -> Result<CreatedRecyclingClient> {
        Result<OperatorRecord> op = tx.GetOperatorByCode(c.operator_code);
        if (!op) {
          if (op.error().code == ErrorCode::kNotFound) {
            return OperatorNotFound();
          }
          return Fail(op.error());
        }
        // Tenancy before the role: another operator is not found.
        if (!MaySeeOperator(caller, op->id)) {
          return OperatorNotFound();
        }
        if (!MayManage(caller)) {
          return InsufficientRole();
        }
        SIMEXIT_TRY(ValidateNewClient(c));
        CreatedRecyclingClient out;
        out.key = "nrc_" + op->code + "_" + ctx_.random.Hex(24);
        NumberRecyclingClientRecord& record = out.client;
        record.operator_id = op->id;
        record.name = c.name;
        record.key_hash = HashHex(out.key);
        record.prefix = out.key.substr(0, op->code.size() + 9);
        record.scopes = c.scopes;
        record.created_by = caller.actor;
        record.created_at = now;
        SIMEXIT_ASSIGN_OR_RETURN(record.id, tx.InsertRecyclingClient(record));
        record.key_hash.clear();
        SIMEXIT_TRY(tx.AppendAudit(AuditRecord{0, caller.actor, "recycling_client_created",
                                               "recycling_client:" + std::to_string(record.id),
                                               c.name, CurrentRequestId(), now, op->id}));
        return out;
      });
}

Result<std::vector<RecyclingClientView>> NumberRecyclingService::ListClients(
    const Caller& caller, const std::string& operator_code) {
  if (!MayManage(caller)) {
    return InsufficientRole();
  }
  return TransactValue<std::vector<RecyclingClientView>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<RecyclingClientView>> {
        std::optional<std::int64_t> operator_id;
        if (!operator_code.empty()) {
          Result<OperatorRecord> op = tx.GetOperatorByCode(operator_code);
          if (!op) {
            if (op.error().code == ErrorCode::kNotFound) {
              return OperatorNotFound();
            }
            return Fail(op.error());
          }
          if (!MaySeeOperator(caller, op->id)) {
            return OperatorNotFound();
          }
          operator_id = op->id;
        } else if (caller.kind == CallerKind::kStaff) {
          operator_id = caller.operator_id;
        }
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<NumberRecyclingClientRecord> clients,
                                 tx.ListRecyclingClients(operator_id));
        std::vector<RecyclingClientView> out;
        for (NumberRecyclingClientRecord& client : clients) {
          SIMEXIT_ASSIGN_OR_RETURN(RecyclingClientView view, ViewOf(tx, std::move(client)));
          out.push_back(std::move(view));
        }
        return out;
      });
}

Result<RecyclingClientView> NumberRecyclingService::RevokeClient(const Caller& caller,
                                                                 std::int64_t client_id) {
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<RecyclingClientView>(
      ctx_.store, [&](StoreTx& tx) -> Result<RecyclingClientView> {
        SIMEXIT_ASSIGN_OR_RETURN(NumberRecyclingClientRecord client,
                                 ClientFor(tx, caller, client_id));
        if (!client.revoked_at) {
          SIMEXIT_TRY(tx.RevokeRecyclingClient(client_id, now));
          client.revoked_at = now;
          SIMEXIT_TRY(tx.AppendAudit(AuditRecord{0, caller.actor, "recycling_client_revoked",
                                                 "recycling_client:" + std::to_string(client_id),
                                                 client.name, CurrentRequestId(), now,
                                                 client.operator_id}));
        }
        return ViewOf(tx, std::move(client));
      });
}

Result<std::vector<NumberRecyclingCheckRecord>> NumberRecyclingService::ListChecks(
    const Caller& caller, std::int64_t client_id, int limit) {
  return TransactValue<std::vector<NumberRecyclingCheckRecord>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<NumberRecyclingCheckRecord>> {
        SIMEXIT_TRY(ClientFor(tx, caller, client_id));
        return tx.ListRecyclingChecks(client_id, limit);
      });
}

Result<std::vector<DisconnectionView>> NumberRecyclingService::Disconnections(const Caller& caller,
                                                                              UnixSeconds since) {
  if (!MayManage(caller)) {
    return InsufficientRole();
  }
  return TransactValue<std::vector<DisconnectionView>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<DisconnectionView>> {
        std::optional<std::int64_t> operator_id;
        if (caller.kind == CallerKind::kStaff) {
          operator_id = caller.operator_id;
        }
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<DisconnectionRecord> rows,
                                 tx.ListDisconnections(operator_id, since));
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<OperatorRecord> ops, tx.ListOperators());
        std::vector<DisconnectionView> out;
        out.reserve(rows.size());
        for (const DisconnectionRecord& row : rows) {
          std::string code;
          for (const OperatorRecord& op : ops) {
            if (op.id == row.operator_id) {
              code = op.code;
            }
          }
          out.push_back(DisconnectionView{row.msisdn.e164(), code, row.disconnected_at});
        }
        return out;
      });
}

}  // namespace simexit
