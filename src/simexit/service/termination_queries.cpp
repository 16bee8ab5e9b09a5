// Read-only use cases: GetLine, FindLines, Quote, Get, List, Certificate, Form.

#include "simexit/service/termination_service.hpp"
#include "simexit/service/termination_steps.hpp"

namespace simexit {

using termination_steps::BalancesOf;
using termination_steps::LoadLine;
using termination_steps::LoadTermination;
using termination_steps::TerminationNotFound;

Result<LineView> TerminationService::GetLine(const Caller& caller, const Msisdn& msisdn) {
  return TransactValue<LineView>(ctx_.store,
                                 [&](StoreTx& tx) { return LoadLine(tx, caller, msisdn); });
}

Result<std::vector<LineView>> TerminationService::FindLines(const Caller& caller,
                                                            const LineSearch& search, int limit) {
  const std::optional<std::int64_t> operator_id =
      caller.IsStaffOrOperator() ? std::optional(caller.operator_id) : std::nullopt;
  const std::string document = NormaliseDocumentNumber(search.holder_document);
  return TransactValue<
      std::vector<LineView>>(ctx_.store, [&](StoreTx& tx) -> Result<std::vector<LineView>> {
    SIMEXIT_ASSIGN_OR_RETURN(std::vector<LineRecord> lines,
                             tx.FindLines(operator_id, search.iccid, document, limit));
    std::vector<LineView> found;
    for (LineRecord& line : lines) {
      if (!caller.MaySee(line.operator_id, line.msisdn, line.holder_id)) {
        continue;
      }
      SIMEXIT_ASSIGN_OR_RETURN(OperatorRecord op, tx.GetOperator(line.operator_id));
      SIMEXIT_ASSIGN_OR_RETURN(std::optional<TerminationRecord> open,
                               tx.FindOpenTermination(line.id));
      std::optional<HolderRecord> holder;
      if (line.holder_id != 0) {
        SIMEXIT_ASSIGN_OR_RETURN(holder, tx.GetHolder(line.holder_id));
      }
      found.push_back(LineView{std::move(line), std::move(op), std::move(open), std::move(holder)});
    }
    return found;
  });
}

Result<QuoteView> TerminationService::Quote(const Caller& caller, const Msisdn& msisdn,
                                            Channel channel) {
  SIMEXIT_ASSIGN_OR_RETURN(LineView view, GetLine(caller, msisdn));
  SettlementQuote quote = QuoteSettlement(BalancesOf(view.line), view.op.policy, channel);
  return QuoteView{std::move(view), quote};
}

Result<TerminationDetail> TerminationService::Get(const Caller& caller, const std::string& id) {
  return TransactValue<TerminationDetail>(
      ctx_.store, [&](StoreTx& tx) -> Result<TerminationDetail> {
        TerminationDetail detail;
        SIMEXIT_ASSIGN_OR_RETURN(detail.termination, LoadTermination(tx, caller, id));
        SIMEXIT_ASSIGN_OR_RETURN(detail.events, tx.ListEvents(id));
        SIMEXIT_ASSIGN_OR_RETURN(detail.certificate, tx.FindCertificateForTermination(id));
        SIMEXIT_ASSIGN_OR_RETURN(detail.documents, tx.ListDocumentChecks(id));
        SIMEXIT_ASSIGN_OR_RETURN(detail.power_of_attorney, tx.FindPowerOfAttorney(id));
        if (caller.kind != CallerKind::kHolder) {  // scans are the operator's records
          SIMEXIT_ASSIGN_OR_RETURN(detail.uploads, tx.ListUploads(id));
        }
        SIMEXIT_ASSIGN_OR_RETURN(detail.confirmation, tx.FindConfirmation(id));
        return detail;
      });
}

Result<CertificateRecord> TerminationService::Certificate(const Caller& caller,
                                                          const std::string& id) {
  return TransactValue<CertificateRecord>(
      ctx_.store, [&](StoreTx& tx) -> Result<CertificateRecord> {
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, LoadTermination(tx, caller, id));
        SIMEXIT_ASSIGN_OR_RETURN(std::optional<CertificateRecord> cert,
                                 tx.FindCertificateForTermination(id));
        if (!cert) {
          return Fail(ErrorCode::kFailedPrecondition, "certificate_not_ready",
                      std::string("the termination is ") + ToString(t.state) +
                          "; the certificate is issued once the line is terminated");
        }
        return std::move(*cert);
      });
}

Result<std::vector<TerminationRecord>> TerminationService::List(
    const Caller& caller, std::optional<TerminationState> state, int limit) {
  TerminationFilter filter;
  filter.state = state;
  filter.limit = limit;
  if (caller.IsStaffOrOperator()) {
    filter.operator_id = caller.operator_id;
  }
  if (caller.kind == CallerKind::kHolder) {
    filter.msisdn = caller.msisdn;
  }
  return TransactValue<std::vector<TerminationRecord>>(
      ctx_.store, [&](StoreTx& tx) -> Result<std::vector<TerminationRecord>> {
        SIMEXIT_ASSIGN_OR_RETURN(std::vector<TerminationRecord> all, tx.ListTerminations(filter));
        std::vector<TerminationRecord> visible;
        for (TerminationRecord& t : all) {
          if (caller.MaySee(t.operator_id, t.msisdn, t.holder_id)) {
            visible.push_back(std::move(t));
          }
        }
        return visible;
      });
}

Result<ApplicationForm> TerminationService::Form(const Caller& caller, const std::string& id) {
  if (caller.kind == CallerKind::kHolder) {
    return TerminationNotFound();
  }
  const UnixSeconds now = ctx_.clock.Now();
  return TransactValue<ApplicationForm>(ctx_.store, [&](StoreTx& tx) -> Result<ApplicationForm> {
    ApplicationForm form;
    SIMEXIT_ASSIGN_OR_RETURN(form.termination, LoadTermination(tx, caller, id));
    const TerminationRecord& t = form.termination;
    SIMEXIT_ASSIGN_OR_RETURN(form.op, tx.GetOperator(t.operator_id));
    SIMEXIT_ASSIGN_OR_RETURN(form.holder, tx.GetHolder(t.holder_id));
    SIMEXIT_ASSIGN_OR_RETURN(form.line, tx.GetLine(t.line_id));
    SIMEXIT_ASSIGN_OR_RETURN(form.documents, tx.ListDocumentChecks(id));
    SIMEXIT_ASSIGN_OR_RETURN(form.power_of_attorney, tx.FindPowerOfAttorney(id));
    form.quote = t.settlement ? *t.settlement
                              : QuoteSettlement(BalancesOf(form.line), form.op.policy, t.channel);
    form.printed_at = now;
    return form;
  });
}

}  // namespace simexit
