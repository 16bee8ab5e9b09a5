#include "simexit/service/audit_chain.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <sodium.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <utility>

#include "simexit/common/canonical_json.hpp"
#include "simexit/common/clock.hpp"

namespace simexit {
namespace {

constexpr int kPage = 1000;
constexpr int kMaxUnchainedReported = 100;

std::string RecordName(const ChainLink& link) {
  return fmt::format("{}:{}", link.kind, link.record_id);
}

// The first break in `link` given the hash the chain expects before it.
std::optional<ChainBreak> CheckLink(const ChainLink& link, const std::string& expected_prev) {
  ChainBreak b{link.operator_id, link.seq, RecordName(link), "", ""};
  if (link.prev_hash != expected_prev) {
    b.reason = "link_out_of_place";
    b.detail =
        "its prev_hash is not the hash of the link before it: a link was deleted, "
        "inserted or moved here";
    return b;
  }
  if (!link.record_json) {
    b.reason = "record_deleted";
    b.detail = "its record is gone";
    return b;
  }
  if (ChainHash(link.prev_hash, *link.record_json) != link.hash) {
    b.reason = "record_changed";
    b.detail = "its record no longer matches the hash written with it";
    return b;
  }
  return std::nullopt;
}

// Walks `operator_code`'s chain page by page, calling `visit(link)` for each
// sound link; stops at the first break and returns it.
template <typename Visit>
Result<std::optional<ChainBreak>> WalkChain(Store& store, std::int64_t operator_id, Visit visit) {
  std::string expected(kChainGenesis);
  std::int64_t after = 0;
  while (true) {
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<ChainLink> page,
                             TransactValue<std::vector<ChainLink>>(store, [&](StoreTx& tx) {
                               return tx.ListChainLinks(operator_id, after, kPage);
                             }));
    for (const ChainLink& link : page) {
      if (std::optional<ChainBreak> broken = CheckLink(link, expected)) {
        return broken;
      }
      SIMEXIT_TRY(visit(link));
      expected = link.hash;
      after = link.seq;
    }
    if (page.size() < static_cast<std::size_t>(kPage)) {
      return std::optional<ChainBreak>();
    }
  }
}

// The id of the operator with `code`.
Result<std::int64_t> OperatorIdOf(Store& store, const std::string& code) {
  Result<OperatorRecord> op =
      TransactValue<OperatorRecord>(store, [&](StoreTx& tx) { return tx.GetOperatorByCode(code); });
  if (!op && op.error().code == ErrorCode::kNotFound) {
    return Fail(ErrorCode::kNotFound, "operator_not_found",
                fmt::format("no operator has the code '{}'", code));
  }
  SIMEXIT_TRY(op);
  return op->id;
}

UnixSeconds StartOfUtcDay(CivilDate d) {
  const date::sys_days day = date::year{d.year} / date::month{static_cast<unsigned>(d.month)} /
                             date::day{static_cast<unsigned>(d.day)};
  return day.time_since_epoch().count() * kSecondsPerDay;
}

}  // namespace

Result<AuditChainReport> VerifyAuditChains(Store& store,
                                           const std::optional<std::string>& operator_code) {
  AuditChainReport report;
  std::vector<std::int64_t> chains;
  if (operator_code) {
    SIMEXIT_ASSIGN_OR_RETURN(std::int64_t id, OperatorIdOf(store, *operator_code));
    chains.push_back(id);
  } else {
    SIMEXIT_ASSIGN_OR_RETURN(chains, TransactValue<std::vector<std::int64_t>>(
                                         store, [](StoreTx& tx) { return tx.ListChains(); }));
  }
  for (const std::int64_t chain : chains) {
    ++report.chains;
    SIMEXIT_ASSIGN_OR_RETURN(std::optional<ChainBreak> broken,
                             WalkChain(store, chain, [&](const ChainLink&) -> Result<void> {
                               ++report.links;
                               return {};
                             }));
    if (broken) {
      report.breaks.push_back(std::move(*broken));
    }
  }
  if (!operator_code) {
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<std::string> unchained,
                             TransactValue<std::vector<std::string>>(store, [](StoreTx& tx) {
                               return tx.ListUnchainedRecords(kMaxUnchainedReported);
                             }));
    for (std::string& record : unchained) {
      report.breaks.push_back(ChainBreak{0, 0, std::move(record), "unchained_record",
                                         "written since the chain began, without a link"});
    }
  }
  return report;
}

Result<AuditExport> ExportAuditChain(Store& store, const CertificateSigner& signer,
                                     const std::string& operator_code, AuditExportRange range,
                                     UnixSeconds now) {
  if (range.to < range.from) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_date_range", "from",
                     fmt::format("the range starts ({}) after it ends ({})", range.from.ToString(),
                                 range.to.ToString()));
  }
  SIMEXIT_ASSIGN_OR_RETURN(std::int64_t operator_id, OperatorIdOf(store, operator_code));
  const UnixSeconds from = StartOfUtcDay(range.from);
  const UnixSeconds until = StartOfUtcDay(range.to) + 86400;

  AuditExport out;
  std::string lines;
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<ChainBreak> broken,
      WalkChain(store, operator_id, [&](const ChainLink& link) -> Result<void> {
        if (link.at < from || link.at >= until) {
          return {};
        }
        boost::json::object line;
        line["seq"] = link.seq;
        line["prev_hash"] = link.prev_hash;
        line["hash"] = link.hash;
        line["record"] = boost::json::parse(*link.record_json);
        SIMEXIT_ASSIGN_OR_RETURN(std::string text, CanonicalJson(line));
        lines += text;
        lines += '\n';
        ++out.links;
        return {};
      }));
  if (broken) {
    return Fail(ErrorCode::kFailedPrecondition, "audit_chain_broken",
                fmt::format("the chain of operator {} breaks at link {} ({}: {}); run "
                            "`simexit audit verify` and restore from a backup",
                            operator_code, broken->seq, broken->record, broken->reason));
  }
  boost::json::object header;
  header["format"] = "simexit-audit-export/1";
  header["operator"] = operator_code;
  header["operator_id"] = operator_id;
  header["from"] = range.from.ToString();
  header["to"] = range.to.ToString();
  header["links"] = out.links;
  header["exported_at"] = FormatRfc3339(now);
  header["key_id"] = signer.key_id();
  header["public_key"] = signer.public_key_base64();
  SIMEXIT_ASSIGN_OR_RETURN(std::string head, CanonicalJson(header));
  out.jsonl = head + "\n" + lines;
  out.signature = signer.SignBytes(out.jsonl);
  std::string b64(sodium_base64_ENCODED_LEN(out.signature.size(), sodium_base64_VARIANT_ORIGINAL),
                  '\0');
  sodium_bin2base64(b64.data(), b64.size(),
                    reinterpret_cast<const unsigned char*>(out.signature.data()),
                    out.signature.size(), sodium_base64_VARIANT_ORIGINAL);
  b64.resize(b64.find('\0'));
  out.signature_base64 = std::move(b64);
  return out;
}

}  // namespace simexit
