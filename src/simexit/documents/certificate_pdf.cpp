// The termination certificate as a PDF (documents.hpp).

#include <boost/json/parse.hpp>

#include "simexit/certificate/certificate.hpp"
#include "simexit/common/time_zone.hpp"
#include "simexit/documents/documents.hpp"
#include "simexit/documents/pdf_attachment.hpp"
#include "simexit/documents/pdf_canvas.hpp"
#include "simexit/domain/messages.hpp"
#include "simexit/domain/money.hpp"

namespace simexit::documents {
namespace {

// A settlement amount's label: form.<name> when the catalogue has it.
std::string AmountLabel(const std::string& name, Language language) {
  if (const std::optional<MessageKey> key = MessageKey::Find("form." + name)) {
    return std::string(Text(*key, language));
  }
  return name;
}

// Amounts people care about first, then any other in name order.
constexpr const char* kAmountOrder[] = {"outstanding_charges", "fee", "amount_due", "refund"};

}  // namespace

std::string FormatMsisdn(std::string_view e164) {
  if (e164.size() == 12 && e164.starts_with("+7")) {
    const std::string d(e164.substr(2));
    return "+7 " + d.substr(0, 3) + " " + d.substr(3, 3) + " " + d.substr(6, 2) + " " +
           d.substr(8, 2);
  }
  return std::string(e164);
}

std::string MaskMsisdn(std::string_view e164) {
  if (e164.size() == 12 && e164.starts_with("+7")) {
    const std::string d(e164.substr(2));
    return "+7 " + d.substr(0, 3) + " *** ** " + d.substr(8, 2);
  }
  if (e164.size() < 7) {
    return std::string(e164.size(), '*');
  }
  return std::string(e164.substr(0, 4)) + std::string(e164.size() - 6, '*') +
         std::string(e164.substr(e164.size() - 2));
}

std::string MaskIccid(std::string_view iccid) {
  if (iccid.size() <= 4) {
    return std::string(iccid.size(), '*');
  }
  return std::string(iccid.size() - 4, '*') + std::string(iccid.substr(iccid.size() - 4));
}

Result<std::string> RenderCertificatePdf(const CertificatePdfRequest& request) {
  boost::system::error_code ec;
  const boost::json::value json = boost::json::parse(request.document, ec);
  if (ec) {
    return Fail(ErrorCode::kInvalidArgument, "malformed_certificate",
                "the certificate is not JSON: " + ec.message());
  }
  SIMEXIT_ASSIGN_OR_RETURN(SignedCertificate signed_cert, SignedCertificate::FromJson(json));
  const CertificateBody& body = signed_cert.body;
  const Language local = request.language;
  constexpr Language kEn = Language::kEn;
  const auto both = [&](MessageKey key) {
    return std::pair<std::string_view, std::string_view>{Text(key, local), Text(key, kEn)};
  };

  PdfCanvas canvas(std::string(Text("certificate.title", kEn)) + " " + body.serial, local != kEn);
  const auto [title_local, title_en] = both("certificate.title");
  canvas.Title(title_local, title_en);
  const auto field = [&](MessageKey key, const std::string& value) {
    const auto [l, e] = both(key);
    canvas.Field(l, e, value);
  };
  field("certificate.serial", body.serial);
  field("form.operator", body.operator_name);
  field("form.msisdn", FormatMsisdn(body.msisdn));
  field("form.iccid", MaskIccid(body.iccid));
  UnixSeconds terminated_at = 0;
  const std::string closed_at =
      ParseRfc3339(body.terminated_at, &terminated_at)
          ? FormatDateTime(terminated_at, request.time_zone) + " (" + request.time_zone + ")"
          : body.terminated_at;
  field("certificate.closed_at", closed_at);
  field("certificate.quarantine_until", body.quarantine_until);

  const auto [settlement_local, settlement_en] = both("form.settlement");
  canvas.Heading(settlement_local, settlement_en);
  std::vector<std::string> names(std::begin(kAmountOrder), std::end(kAmountOrder));
  for (const auto& [name, amount] : body.settlement) {
    if (name != "currency" && std::find(names.begin(), names.end(), name) == names.end()) {
      names.push_back(name);
    }
  }
  for (const std::string& name : names) {
    const auto it = body.settlement.find(name);
    if (it == body.settlement.end()) {
      continue;
    }
    const Result<Money> amount = Money::ParseKzt(it->second);
    canvas.Field(AmountLabel(name, local), AmountLabel(name, kEn),
                 amount ? FormatMoney(*amount) : it->second);
  }

  canvas.Skip(10);
  const auto [verify_local, verify_en] = both("certificate.verify_at");
  std::string caption(verify_local);
  if (local != kEn) {
    caption += " / " + std::string(verify_en);
  }
  caption += ":\n" + request.verify_url;
  SIMEXIT_TRY(canvas.QrCode(request.verify_url, caption));
  const auto [signed_local, signed_en] = both("certificate.signed");
  canvas.Paragraph(signed_local, signed_en);
  SIMEXIT_ASSIGN_OR_RETURN(std::string pdf, canvas.Finish());

  Result<std::string> attached = AppendEmbeddedFile(
      pdf, EmbeddedFile{.name = std::string(kCertificateAttachmentName),
                        .mime_type = "application/json",
                        .description = "Signed termination certificate " + body.serial,
                        .content = request.document});
  if (!attached) {  // Cairo wrote something the attachment step cannot read: our bug
    return Fail(ErrorCode::kInternal, "pdf_failed", attached.error().message);
  }
  return attached;
}

}  // namespace simexit::documents
