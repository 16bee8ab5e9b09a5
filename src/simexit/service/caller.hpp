#pragma once
// Who is asking. Every use case takes a Caller and confines what it reads and
// changes to what that caller may see: a holder sees the line they proved
// possession of, an operator key sees its operator's lines, an admin sees all.
// Anything outside that is reported as kNotFound, never kPermissionDenied, so
// callers learn nothing about other operators' data.

#include <cstdint>
#include <string>

namespace simexit {

enum class CallerKind { kHolder, kOperator, kAdmin, kSystem };

struct Caller {
  CallerKind kind = CallerKind::kSystem;
  std::int64_t holder_id = 0;    // kHolder
  std::string msisdn;            // kHolder: the line signed in with (E.164)
  std::int64_t operator_id = 0;  // kOperator
  std::int64_t api_key_id = 0;   // kOperator, kAdmin (0 for the admin key from config)

  // The audit trail's actor: "holder:12", "api_key:3", "admin", "worker", "cli".
  std::string actor = "system";

  static Caller Holder(std::int64_t holder_id, std::string msisdn) {
    return {CallerKind::kHolder, holder_id, std::move(msisdn), 0, 0,
            "holder:" + std::to_string(holder_id)};
  }
  static Caller Operator(std::int64_t operator_id, std::int64_t api_key_id) {
    return {CallerKind::kOperator, 0, {}, operator_id, api_key_id,
            "api_key:" + std::to_string(api_key_id)};
  }
  static Caller Admin(std::int64_t api_key_id) {
    return {CallerKind::kAdmin, 0, {}, 0, api_key_id,
            api_key_id == 0 ? std::string("admin") : "api_key:" + std::to_string(api_key_id)};
  }
  static Caller System(std::string actor) {
    return {CallerKind::kSystem, 0, {}, 0, 0, std::move(actor)};
  }

  // Whether this caller may see a row owned by `owner_operator_id` for the line
  // `line_msisdn` held by `row_holder_id`. A holder sees only rows of the number
  // they signed in with AND of their own holding, so whoever gets a recycled
  // number later never sees the previous holder's terminations.
  bool MaySee(std::int64_t owner_operator_id, const std::string& line_msisdn,
              std::int64_t row_holder_id) const {
    switch (kind) {
      case CallerKind::kHolder:
        return line_msisdn == msisdn && row_holder_id == holder_id;
      case CallerKind::kOperator:
        return owner_operator_id == operator_id;
      case CallerKind::kAdmin:
      case CallerKind::kSystem:
        return true;
    }
    return false;
  }
};

}  // namespace simexit
