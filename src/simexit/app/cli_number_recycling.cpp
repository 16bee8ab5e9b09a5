// `simexit recycling-clients create|list|revoke|checks` and
// `simexit report disconnections` (docs/number-recycling.md).

#include <fmt/format.h>

#include <iostream>

#include "simexit/app/cli_commands.hpp"

namespace simexit::app {

int CreateRecyclingClient(Runtime& rt, const std::string& op_code, const std::string& name,
                          const std::vector<std::string>& scopes) {
  NewRecyclingClient command{op_code, name};
  if (!scopes.empty()) {
    command.scopes = scopes;
  }
  Result<CreatedRecyclingClient> created =
      rt.number_recycling->CreateClient(Caller::System("cli"), command);
  if (!created) {
    return Report(created.error());
  }
  std::cout << "client " << created->client.id << " for " << op_code << ": " << name << "\n"
            << "key (shown once, give it to the client): " << created->key << "\n";
  return 0;
}

int ListRecyclingClients(Runtime& rt, const std::string& op_code) {
  Result<std::vector<RecyclingClientView>> list =
      rt.number_recycling->ListClients(Caller::System("cli"), op_code);
  if (!list) {
    return Report(list.error());
  }
  std::cout << fmt::format("{:<6} {:<10} {:<22} {:<8} {:<20} {}\n", "ID", "OPERATOR", "PREFIX",
                           "STATE", "CREATED", "NAME");
  for (const RecyclingClientView& v : *list) {
    std::cout << fmt::format("{:<6} {:<10} {:<22} {:<8} {:<20} {}\n", v.client.id, v.operator_code,
                             v.client.prefix, v.client.revoked_at ? "revoked" : "active",
                             FormatRfc3339(v.client.created_at), v.client.name);
  }
  return 0;
}

int RevokeRecyclingClient(Runtime& rt, std::int64_t id) {
  Result<RecyclingClientView> revoked =
      rt.number_recycling->RevokeClient(Caller::System("cli"), id);
  if (!revoked) {
    return Report(revoked.error());
  }
  std::cout << "client " << id << " revoked: its key no longer authenticates\n";
  return 0;
}

int ListRecyclingChecks(Runtime& rt, std::int64_t id, int limit) {
  Result<std::vector<NumberRecyclingCheckRecord>> checks =
      rt.number_recycling->ListChecks(Caller::System("cli"), id, limit);
  if (!checks) {
    return Report(checks.error());
  }
  std::cout << fmt::format("{:<20} {:<16} {:<10} {:<12} {}\n", "AT", "NUMBER", "DATE", "ANSWER",
                           "CORRELATOR");
  for (const NumberRecyclingCheckRecord& c : *checks) {
    std::cout << fmt::format("{:<20} {:<16} {:<10} {:<12} {}\n", FormatRfc3339(c.at), c.msisdn,
                             c.specified_date.ToString(), ToString(c.answer), c.correlator);
  }
  return 0;
}

int ReportDisconnections(Runtime& rt, const std::string& since_text) {
  UnixSeconds since = 0;
  if (!ParseIsoDate(since_text) || !ParseRfc3339(since_text, &since)) {
    std::cerr << "simexit: --since must be a date YYYY-MM-DD\n";
    return 2;
  }
  Result<std::vector<DisconnectionView>> rows =
      rt.number_recycling->Disconnections(Caller::System("cli"), since);
  if (!rows) {
    return Report(rows.error());
  }
  // CSV (RFC 4180): numbers and dates need no quoting.
  std::cout << "number,disconnected_on\n";
  for (const DisconnectionView& row : *rows) {
    std::cout << row.msisdn << "," << FormatDate(row.disconnected_at) << "\n";
  }
  return 0;
}

}  // namespace simexit::app
