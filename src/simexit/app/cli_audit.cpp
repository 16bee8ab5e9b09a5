// `simexit audit verify|export`: the tamper-evident audit chain
// (docs/audit.md). Declared in cli_commands.hpp.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <optional>
#include <string>

#include "simexit/app/cli_commands.hpp"
#include "simexit/app/runtime.hpp"
#include "simexit/service/audit_chain.hpp"

namespace simexit::app {
namespace {

// "kcell" for a chain's operator id, "(no operator)" for 0.
std::string ChainName(Runtime& rt, std::int64_t operator_id) {
  if (operator_id == 0) {
    return "(no operator)";
  }
  Result<OperatorRecord> op = TransactValue<OperatorRecord>(
      *rt.store, [&](StoreTx& tx) { return tx.GetOperator(operator_id); });
  return op ? op->code : "operator:" + std::to_string(operator_id);
}

bool WriteFile(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  out.close();
  return static_cast<bool>(out);
}

}  // namespace

int VerifyAudit(Runtime& rt, const std::string& operator_code) {
  Result<AuditChainReport> report = VerifyAuditChains(
      *rt.store, operator_code.empty() ? std::nullopt : std::optional(operator_code));
  if (!report) {
    return Report(report.error());
  }
  for (const ChainBreak& b : report->breaks) {
    if (b.reason == "unchained_record") {
      std::cout << fmt::format("{} {}: {}\n", b.reason, b.record, b.detail);
    } else {
      std::cout << fmt::format("{} {} link {} ({}): {}\n", b.reason, ChainName(rt, b.operator_id),
                               b.seq, b.record, b.detail);
    }
  }
  if (!report->breaks.empty()) {
    std::cerr << fmt::format("simexit: the audit chain is broken in {} place(s)\n",
                             report->breaks.size());
    return 1;
  }
  std::cout << fmt::format("ok: {} link(s) in {} chain(s), every one intact\n", report->links,
                           report->chains);
  return 0;
}

int ExportAudit(Runtime& rt, const std::string& operator_code, const std::string& from,
                const std::string& to, const std::string& out) {
  Result<CivilDate> first = ParseIsoDate(from);
  Result<CivilDate> last = ParseIsoDate(to);
  if (!first || !last) {
    std::cerr << fmt::format("simexit: --{} is not a date YYYY-MM-DD (invalid_date)\n",
                             first ? "to" : "from");
    return 2;
  }
  Result<AuditExport> exported =
      ExportAuditChain(*rt.store, *rt.signer, operator_code, {*first, *last}, rt.clock.Now());
  if (!exported) {
    if (exported.error().code == ErrorCode::kInvalidArgument) {
      std::cerr << fmt::format("simexit: {} ({})\n", exported.error().message,
                               exported.error().problem_code);
      return 2;
    }
    return Report(exported.error());
  }
  if (!WriteFile(out, exported->jsonl) || !WriteFile(out + ".sig", exported->signature)) {
    std::cerr << fmt::format("simexit: cannot write {} or {}.sig\n", out, out);
    return 1;
  }
  std::cout << fmt::format("wrote {} link(s) to {} and the Ed25519 signature to {}.sig (key {})\n",
                           exported->links, out, out, rt.signer->key_id());
  return 0;
}

}  // namespace simexit::app
