// The certificate for printing and the public check of a serial
// (termination_service.hpp).

#include "simexit/certificate/serial.hpp"
#include "simexit/certificate/signer.hpp"
#include "simexit/service/termination_service.hpp"

namespace simexit {
namespace {

// A serial no certificate has: what a malformed serial is looked up as.
constexpr const char* kAbsentSerial = "SX-00000000000000000000000000";

// A well-formed document under `signer`'s key id whose signature is wrong:
// checking it costs what checking a real certificate costs.
std::string DecoyDocument(const CertificateSigner& signer) {
  SignedCertificate decoy;
  decoy.body.serial = kAbsentSerial;
  decoy.body.termination_id = "trm_000000000000000000000000";
  decoy.body.operator_code = "none";
  decoy.body.operator_name = "none";
  decoy.body.msisdn = "+77000000000";
  decoy.body.iccid = "8997000000000000000";
  decoy.body.holder_ref = std::string(64, '0');
  decoy.body.terminated_at = "2026-01-01T00:00:00Z";
  decoy.body.quarantine_until = "2026-07-01";
  decoy.body.settlement = {{"currency", "KZT"}, {"refund", "0.00"}};
  decoy.key_id = signer.key_id();
  // R: not a small-order point; S: canonical. The check runs to the end.
  decoy.signature_b64 =
      "KioqKioqKioqKioqKioqKioqKioqKioqKioqKioqKioAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==";
  return decoy.ToDocument();
}

}  // namespace

Result<PrintableCertificate> TerminationService::CertificateForPrint(const Caller& caller,
                                                                     const std::string& id) {
  SIMEXIT_ASSIGN_OR_RETURN(CertificateRecord record, Certificate(caller, id));
  return TransactValue<PrintableCertificate>(
      ctx_.store, [&](StoreTx& tx) -> Result<PrintableCertificate> {
        SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t, tx.GetTermination(id));
        SIMEXIT_ASSIGN_OR_RETURN(HolderRecord holder, tx.GetHolder(t.holder_id));
        PrintableCertificate out;
        out.verify_url = ctx_.public_url + "/verify/" + record.serial;
        out.record = record;
        out.language = holder.language;
        out.time_zone = holder.time_zone.empty() ? "Asia/Almaty" : holder.time_zone;
        return out;
      });
}

Result<std::optional<CertificateCheck>> TerminationService::CheckCertificate(
    const std::string& serial) {
  const bool plausible = IsPlausibleCertificateSerial(serial);
  const std::string lookup = plausible ? serial : kAbsentSerial;
  struct Found {
    CertificateRecord record;
    std::string time_zone;
  };
  SIMEXIT_ASSIGN_OR_RETURN(
      std::optional<Found> found,
      TransactValue<std::optional<Found>>(
          ctx_.store, [&](StoreTx& tx) -> Result<std::optional<Found>> {
            SIMEXIT_ASSIGN_OR_RETURN(std::optional<CertificateRecord> record,
                                     tx.FindCertificateBySerial(lookup));
            if (!record) {
              return std::optional<Found>();
            }
            SIMEXIT_ASSIGN_OR_RETURN(TerminationRecord t,
                                     tx.GetTermination(record->termination_id));
            SIMEXIT_ASSIGN_OR_RETURN(HolderRecord holder, tx.GetHolder(t.holder_id));
            return std::optional<Found>(Found{std::move(*record), holder.time_zone});
          }));
  const std::string public_key = ctx_.signer.public_key_hex();
  const std::string document = found ? found->record.document : DecoyDocument(ctx_.signer);
  Result<SignedCertificate> verified = ReadVerifiedCertificate(document, public_key);
  if (!found) {
    return std::optional<CertificateCheck>();
  }
  CertificateCheck check;
  check.serial = found->record.serial;
  check.time_zone = found->time_zone.empty() ? "Asia/Almaty" : found->time_zone;
  check.valid = verified.has_value();
  if (verified) {
    // What the signature covers, not what else the database says.
    check.operator_name = verified->body.operator_name;
    check.msisdn = verified->body.msisdn;
    ParseRfc3339(verified->body.terminated_at, &check.terminated_at);
  }
  return std::optional<CertificateCheck>(std::move(check));
}

}  // namespace simexit
