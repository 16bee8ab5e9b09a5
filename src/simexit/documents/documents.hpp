#pragma once
// Printed documents as PDF (docs/certificate.md, "The certificate as a PDF"):
// the termination certificate and the application form, rendered with Cairo
// and Pango (pdf_canvas.hpp). Rendering takes a few milliseconds of CPU: call
// it from a handler thread or a background task, never from an I/O thread.
// Thread-safe: each call has its own canvas.

#include <string>
#include <string_view>

#include "simexit/common/clock.hpp"
#include "simexit/common/result.hpp"
#include "simexit/domain/language.hpp"
#include "simexit/service/termination_service.hpp"

namespace simexit::documents {

// The name of the signed JSON inside the certificate PDF.
inline constexpr std::string_view kCertificateAttachmentName = "certificate.json";

struct CertificatePdfRequest {
  std::string document;                   // the signed certificate JSON, exactly as stored
  Language language = kFallbackLanguage;  // the holder's; English stands beside it
  std::string time_zone = "Asia/Almaty";  // the holder's (IANA)
  std::string verify_url;                 // public_url + "/verify/" + serial
};

// A4: title, operator, number, ICCID (masked), closed at (holder's zone),
// number reissue date, the settlement amounts ("1 234,50 ₸"), serial, a QR
// code of `verify_url` with the URL written beside it; labels in the holder's
// language and English side by side. The signed JSON is attached unchanged as
// "certificate.json" (pdf_attachment.hpp), so the PDF can be checked offline.
// Errors: kInvalidArgument "malformed_certificate" when `document` is not a
// signed certificate; kInternal "pdf_failed", "qr_failed".
Result<std::string> RenderCertificatePdf(const CertificatePdfRequest& request);

// The application form of a request (the store channel's printed form, the
// same fields as api::ApplicationFormHtml), labels in `language` and Russian
// side by side, with boxes for the applicant's and the staff member's
// signatures and the date. Errors: kInternal "pdf_failed".
Result<std::string> RenderApplicationFormPdf(const ApplicationForm& form, Language language);

// "+7 701 123 45 67" for a Kazakh (+7, 10 digits) number; other E.164
// numbers as they are.
std::string FormatMsisdn(std::string_view e164);
// "+7 701 *** ** 67": what the public verify page shows of a number. Other
// E.164 numbers keep '+', their first three digits and last two.
std::string MaskMsisdn(std::string_view e164);
// All but the last four characters '*', as the API masks document numbers.
std::string MaskIccid(std::string_view iccid);

}  // namespace simexit::documents
