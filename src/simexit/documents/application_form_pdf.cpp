// The application form as a PDF (documents.hpp): the fields of the printed
// HTML form (api/application_form.cpp), labels in the holder's language and
// Russian, with signature boxes.

#include "simexit/common/time_zone.hpp"
#include "simexit/documents/documents.hpp"
#include "simexit/documents/pdf_canvas.hpp"
#include "simexit/domain/messages.hpp"
#include "simexit/domain/money.hpp"

namespace simexit::documents {
namespace {

std::string DocumentText(const DocumentCheckRecord& d) {
  std::string text = std::string(ToString(d.kind)) + " " + d.number;
  if (!d.country.empty() && d.kind != DocumentKind::kIin) {
    text += " (" + d.country + ")";
  }
  if (d.expiry_date) {
    text += ", " + d.expiry_date->ToString();
  }
  return text;
}

}  // namespace

Result<std::string> RenderApplicationFormPdf(const ApplicationForm& form, Language language) {
  constexpr Language kRu = Language::kRu;
  const TerminationRecord& t = form.termination;
  const std::string zone = form.holder.time_zone.empty() ? "Asia/Almaty" : form.holder.time_zone;
  PdfCanvas canvas(std::string(Text("form.title", kRu)) + " " + t.id, language != kRu);
  const auto field = [&](MessageKey key, const std::string& value) {
    canvas.Field(Text(key, language), Text(key, kRu), value);
  };
  const auto heading = [&](MessageKey key) { canvas.Heading(Text(key, language), Text(key, kRu)); };

  canvas.Title(Text("form.title", language), Text("form.title", kRu));
  field("form.operator", form.op.name);
  field("form.request", t.id);
  field("form.date", FormatDateInZone(t.created_at, zone));
  field("form.channel", ToString(t.channel));
  if (t.scheduled_for) {
    field("form.scheduled", FormatDateInZone(*t.scheduled_for, zone));
  }

  heading("form.holder");
  field("form.full_name", form.holder.full_name);
  const DocumentCheckRecord* holder_doc = nullptr;
  const DocumentCheckRecord* attorney_doc = nullptr;
  for (const DocumentCheckRecord& d : form.documents) {
    if (d.role == "holder") {
      holder_doc = &d;
    }
    if (d.role == "attorney") {
      attorney_doc = &d;
    }
  }
  field("form.document", holder_doc != nullptr ? DocumentText(*holder_doc)
                                               : std::string(ToString(form.holder.document_kind)) +
                                                     " " + form.holder.document_number);
  field("form.msisdn", FormatMsisdn(t.msisdn.e164()));
  field("form.iccid", form.line.iccid.digits());

  if (attorney_doc != nullptr || form.power_of_attorney) {
    heading("form.attorney");
    if (attorney_doc != nullptr) {
      field("form.full_name", attorney_doc->full_name);
      field("form.document", DocumentText(*attorney_doc));
    }
    if (form.power_of_attorney) {
      const PowerOfAttorneyRecord& p = *form.power_of_attorney;
      field("form.poa", p.number + ", " + p.issued_on.ToString() + " – " +
                            p.valid_until.ToString() + ", " + p.issuer);
    }
  }

  const SettlementQuote& q = form.quote;
  heading("form.settlement");
  field("form.outstanding_charges", FormatMoney(q.outstanding_charges));
  field("form.fee", FormatMoney(q.fee));
  field("form.main_balance", FormatMoney(q.main_balance));
  field("form.forfeited_bonus", FormatMoney(q.forfeited_bonus));
  field("form.amount_due", FormatMoney(q.amount_due));
  field("form.refund", FormatMoney(q.refund));
  if (t.refund) {
    field("form.refund_to", std::string(ToString(t.refund->method)) + " " + t.refund->destination);
  }

  canvas.Skip(6);
  canvas.Paragraph(Text("form.declaration", language), Text("form.declaration", kRu));
  canvas.Skip(10);
  const auto both = [&](MessageKey key) {
    std::string text(Text(key, language));
    if (language != kRu) {
      text += " / " + std::string(Text(key, kRu));
    }
    return text;
  };
  const std::string captions[3] = {both("form.signature_holder"),
                                   both("form.signature_agent") + " " + t.requested_by,
                                   both("form.signature_date")};
  canvas.SignatureBoxes(captions, 3);
  return canvas.Finish();
}

}  // namespace simexit::documents
