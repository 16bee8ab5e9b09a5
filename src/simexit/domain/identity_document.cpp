#include "simexit/domain/identity_document.hpp"

#include <cstddef>
#include <utility>

#include "simexit/domain/mrz.hpp"
#include "simexit/domain/person_name.hpp"

namespace simexit {
namespace {

constexpr std::size_t kMaxDocumentNumber = 24;  // TD1 long numbers reach 22

std::string Field(std::string_view prefix, std::string_view name) {
  std::string out(prefix);
  out.push_back('.');
  out.append(name);
  return out;
}

tl::unexpected<Error> Invalid(std::string_view prefix, std::string_view name, std::string message) {
  return FailField(ErrorCode::kInvalidArgument, "invalid_document", Field(prefix, name),
                   std::move(message));
}

tl::unexpected<Error> Mismatch(std::string_view prefix, std::string_view name) {
  return FailField(ErrorCode::kInvalidArgument, "mrz_mismatch", Field(prefix, name),
                   "the typed " + std::string(name) + " disagrees with the MRZ");
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsSpace(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && IsSpace(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') {
      c = static_cast<char>(c - 'a' + 'A');
    }
  }
  return out;
}

bool IsUpperAlnum(std::string_view text) {
  for (char c : text) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

// The MRZ writes Germany as "D"; everything else is already alpha-3.
std::string MrzCountry(const std::string& state) { return state == "D" ? "DEU" : state; }

bool SameDayOfCentury(CivilDate a, CivilDate b) {
  return a.year % 100 == b.year % 100 && a.month == b.month && a.day == b.day;
}

// The typed fields, each checked for form (not yet against each other or the MRZ).
struct Typed {
  std::string number;     // normalised
  std::string country;    // upper case, "" when not typed
  std::string full_name;  // trimmed
  std::optional<Iin> iin;
  std::optional<CivilDate> birth_date;
  std::optional<CivilDate> expiry_date;
};

Result<std::optional<CivilDate>> OptionalDate(std::string_view text, std::string_view prefix,
                                              std::string_view name) {
  text = Trim(text);
  if (text.empty()) {
    return std::optional<CivilDate>();
  }
  auto date = ParseIsoDate(text);
  if (!date) {
    return Invalid(prefix, name, std::string(name) + " must be a real date as YYYY-MM-DD");
  }
  return std::optional<CivilDate>(*date);
}

Result<std::optional<Iin>> OptionalIin(std::string_view text, std::string_view prefix,
                                       std::string_view name) {
  const std::string digits = NormaliseDocumentNumber(text);
  if (digits.empty()) {
    return std::optional<Iin>();
  }
  auto iin = Iin::Parse(digits);
  if (!iin) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_iin", Field(prefix, name),
                     iin.error().message);
  }
  return std::optional<Iin>(*iin);
}

Result<Typed> ReadTyped(const PresentedDocument& d, std::string_view prefix) {
  Typed typed;
  typed.number = NormaliseDocumentNumber(d.number);
  if (d.kind != DocumentKind::kIin && !typed.number.empty() &&
      (typed.number.size() > kMaxDocumentNumber || !IsUpperAlnum(typed.number))) {
    return Invalid(prefix, "number", "a document number is 1 to 24 letters A-Z and digits");
  }
  typed.country = Upper(Trim(d.country));
  if (!typed.country.empty() && (typed.country.size() != 3 || !IsUpperAlnum(typed.country) ||
                                 typed.country.find_first_of("0123456789") != std::string::npos)) {
    return Invalid(prefix, "country", "country must be an ISO 3166 alpha-3 code such as KAZ");
  }
  typed.full_name = std::string(Trim(d.full_name));
  if (!typed.full_name.empty() && NormaliseName(typed.full_name).empty()) {
    return Invalid(prefix, "full_name",
                   "full_name must be written in Latin or Cyrillic letters (valid UTF-8)");
  }
  auto iin = OptionalIin(d.iin, prefix, "iin");
  if (!iin) {
    return Fail(std::move(iin.error()));
  }
  typed.iin = *iin;
  auto birth = OptionalDate(d.birth_date, prefix, "birth_date");
  if (!birth) {
    return Fail(std::move(birth.error()));
  }
  typed.birth_date = *birth;
  if (d.kind != DocumentKind::kIin) {
    auto expiry = OptionalDate(d.expiry_date, prefix, "expiry_date");
    if (!expiry) {
      return Fail(std::move(expiry.error()));
    }
    typed.expiry_date = *expiry;
  }
  return typed;
}

Result<CheckedDocument> CheckIinDocument(const PresentedDocument& d, std::string_view prefix) {
  if (!Trim(d.mrz).empty()) {
    return Invalid(prefix, "mrz", "an IIN has no MRZ; present the ID card or passport instead");
  }
  auto typed = ReadTyped(d, prefix);
  if (!typed) {
    return Fail(std::move(typed.error()));
  }
  if (typed->number.empty()) {
    return Invalid(prefix, "number", "number (the IIN) is required");
  }
  auto iin = Iin::Parse(typed->number);
  if (!iin) {
    return FailField(ErrorCode::kInvalidArgument, "invalid_iin", Field(prefix, "number"),
                     iin.error().message);
  }
  if (!typed->country.empty() && typed->country != "KAZ") {
    return Invalid(prefix, "country", "an IIN is Kazakh: country must be KAZ or empty");
  }
  if (typed->full_name.empty()) {
    return Invalid(prefix, "full_name", "full_name is required");
  }
  if (typed->iin && !(*typed->iin == *iin)) {
    return Invalid(prefix, "iin", "iin differs from the IIN given as the number");
  }
  if (typed->birth_date && *typed->birth_date != iin->birth_date()) {
    return Invalid(prefix, "birth_date", "birth_date differs from the IIN's date of birth");
  }
  CheckedDocument out;
  out.kind = DocumentKind::kIin;
  out.number = iin->digits();
  out.country = "KAZ";
  out.full_name = typed->full_name;
  out.iin = iin->digits();
  out.birth_date = iin->birth_date();
  return out;
}

// Lines of an MRZ as typed or scanned: '|' also separates lines, one trailing
// empty line is ignored.
std::size_t CountLines(std::string_view text) {
  std::size_t lines = 1;
  for (char c : text) {
    if (c == '\n') {
      ++lines;
    }
  }
  return lines;
}

// The IIN a KZ document's MRZ carries (TD1 optional data 1, TD3 personal
// number), when it is a valid IIN born on the MRZ's date of birth.
std::optional<Iin> MrzIin(const Mrz& mrz) {
  std::string_view data = mrz.optional_data;
  if (mrz.format == MrzFormat::kTd1) {
    data = data.substr(0, data.find(' '));
  }
  auto iin = Iin::Parse(data);
  if (!iin || !SameDayOfCentury(iin->birth_date(), mrz.birth_date)) {
    return std::nullopt;
  }
  return *iin;
}

Result<CheckedDocument> CheckTravelDocument(const PresentedDocument& d, CivilDate today,
                                            std::string_view prefix) {
  auto read = ReadTyped(d, prefix);
  if (!read) {
    return Fail(std::move(read.error()));
  }
  const Typed& typed = *read;
  const bool passport = d.kind == DocumentKind::kPassport;

  CheckedDocument out;
  out.kind = d.kind;
  std::optional<CivilDate> birth_date = typed.birth_date;
  std::optional<Iin> iin = typed.iin;
  CivilDate expiry_date;

  std::string mrz_text(Trim(d.mrz));
  if (mrz_text.empty()) {
    if (typed.number.empty()) {
      return Invalid(prefix, "number", "number is required");
    }
    if (typed.country.empty() && passport) {
      return Invalid(prefix, "country", "country is required for a passport");
    }
    if (typed.full_name.empty()) {
      return Invalid(prefix, "full_name", "full_name is required");
    }
    if (!typed.expiry_date) {
      return Invalid(prefix, "expiry_date", "expiry_date is required");
    }
    out.number = typed.number;
    out.country = typed.country.empty() ? "KAZ" : typed.country;
    out.full_name = typed.full_name;
    expiry_date = *typed.expiry_date;
  } else {
    for (char& c : mrz_text) {
      if (c == '|') {
        c = '\n';
      }
    }
    std::size_t lines = CountLines(mrz_text);
    if (lines == 3 && passport) {
      return Invalid(prefix, "mrz", "a passport has a TD3 MRZ (2 lines), not TD1 (3 lines)");
    }
    if (lines == 2 && !passport && mrz_text.find('\n') == 44) {
      return Invalid(prefix, "mrz", "an ID card has a TD1 MRZ (3 lines), not TD3 (2 lines)");
    }
    auto mrz = Mrz::Parse(mrz_text, today.year);
    if (!mrz) {
      Error error = std::move(mrz.error());
      error.field =
          error.field.empty() ? Field(prefix, "mrz") : Field(prefix, "mrz." + error.field);
      return Fail(std::move(error));
    }
    if (passport != (mrz->format == MrzFormat::kTd3)) {
      return Invalid(prefix, "mrz", "the MRZ format does not fit the document kind");
    }
    const char code = mrz->document_code.empty() ? '<' : mrz->document_code[0];
    if (passport ? code != 'P' : (code != 'I' && code != 'A' && code != 'C')) {
      return Invalid(prefix, "mrz",
                     passport ? "a passport MRZ has a document code starting with P"
                              : "an ID card MRZ has a document code starting with I, A or C");
    }
    const std::string country = MrzCountry(mrz->issuing_state);
    std::string name = mrz->surname;
    if (!mrz->given_names.empty()) {
      name += (name.empty() ? "" : " ") + mrz->given_names;
    }
    const std::optional<Iin> mrz_iin = MrzIin(*mrz);

    if (!typed.number.empty() && typed.number != mrz->document_number) {
      return Mismatch(prefix, "number");
    }
    if (!typed.country.empty() && typed.country != country) {
      return Mismatch(prefix, "country");
    }
    if (!typed.full_name.empty() && !name.empty() && !NamesMatch(name, typed.full_name)) {
      return Mismatch(prefix, "full_name");
    }
    if (typed.full_name.empty() && name.empty()) {
      return Invalid(prefix, "full_name", "full_name is required (the MRZ has no name)");
    }
    // Two-digit MRZ years: the typed date (or the IIN) knows the century.
    if (typed.birth_date && !SameDayOfCentury(*typed.birth_date, mrz->birth_date)) {
      return Mismatch(prefix, "birth_date");
    }
    if (typed.expiry_date && *typed.expiry_date != mrz->expiry_date) {
      return Mismatch(prefix, "expiry_date");
    }
    if (typed.iin && mrz_iin && !(*typed.iin == *mrz_iin)) {
      return Mismatch(prefix, "iin");
    }
    if (typed.iin && !mrz_iin && !SameDayOfCentury(typed.iin->birth_date(), mrz->birth_date)) {
      return Mismatch(prefix, "iin");  // the IIN is someone born on another day
    }
    out.number = mrz->document_number;
    out.country = country;
    out.full_name = typed.full_name.empty() ? name : typed.full_name;
    if (mrz_iin) {
      iin = mrz_iin;
    }
    if (!birth_date) {
      birth_date = iin ? iin->birth_date() : mrz->birth_date;
    }
    expiry_date = mrz->expiry_date;
    out.mrz_checked = true;
  }

  if (iin && birth_date && *birth_date != iin->birth_date()) {
    return Invalid(prefix, "birth_date", "birth_date differs from the IIN's date of birth");
  }
  if (iin && !birth_date) {
    birth_date = iin->birth_date();
  }
  if (expiry_date < today) {
    return FailField(ErrorCode::kInvalidArgument, "document_expired", Field(prefix, "expiry_date"),
                     "the document has expired");
  }
  out.iin = iin ? iin->digits() : "";
  out.birth_date = birth_date;
  out.expiry_date = expiry_date;
  return out;
}

// The country a document or registration stands for: an IIN is Kazakh, and an
// ID card without a country is a Kazakh one.
std::string EffectiveCountry(DocumentKind kind, std::string_view country) {
  std::string upper = Upper(Trim(country));
  if (kind == DocumentKind::kIin || (upper.empty() && kind == DocumentKind::kIdCard)) {
    return "KAZ";
  }
  return upper;
}

}  // namespace

const char* ToString(DocumentKind kind) {
  switch (kind) {
    case DocumentKind::kIin:
      return "iin";
    case DocumentKind::kIdCard:
      return "id_card";
    case DocumentKind::kPassport:
      return "passport";
  }
  return "iin";
}

std::optional<DocumentKind> ParseDocumentKind(std::string_view text) {
  for (DocumentKind k : {DocumentKind::kIin, DocumentKind::kIdCard, DocumentKind::kPassport}) {
    if (text == ToString(k)) {
      return k;
    }
  }
  return std::nullopt;
}

std::string NormaliseDocumentNumber(std::string_view number) {
  std::string out;
  out.reserve(number.size());
  for (char c : number) {
    if (IsSpace(c)) {
      continue;
    }
    out.push_back(c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c);
  }
  return out;
}

Result<CheckedDocument> CheckDocument(const PresentedDocument& document, CivilDate today,
                                      std::string_view field_prefix) {
  if (document.kind == DocumentKind::kIin) {
    return CheckIinDocument(document, field_prefix);
  }
  return CheckTravelDocument(document, today, field_prefix);
}

Result<void> MatchHolder(const CheckedDocument& document, const RegisteredHolder& holder,
                         std::string_view field_prefix) {
  const std::string number = NormaliseDocumentNumber(document.number);
  const bool same_document = document.kind == holder.kind && !number.empty() &&
                             number == NormaliseDocumentNumber(holder.number) &&
                             EffectiveCountry(document.kind, document.country) ==
                                 EffectiveCountry(holder.kind, holder.country);

  const std::string document_iin =
      document.kind == DocumentKind::kIin ? number : NormaliseDocumentNumber(document.iin);
  const std::string holder_iin = NormaliseDocumentNumber(holder.iin);
  const std::string holder_number_iin =
      holder.kind == DocumentKind::kIin ? NormaliseDocumentNumber(holder.number) : "";
  const bool same_iin =
      !document_iin.empty() && (document_iin == holder_iin || document_iin == holder_number_iin);

  // One answer whatever part differs, after the same work: an answer naming
  // the part would let whoever presents documents learn the holder's number
  // (right number, wrong name) by trying numbers (docs/security.md).
  const bool same_name = NamesMatch(holder.full_name, document.full_name);
  if (!(same_document || same_iin) || !same_name) {
    return FailField(ErrorCode::kInvalidArgument, "document_mismatch", std::string(field_prefix),
                     "the document does not match the line's registered holder");
  }
  return {};
}

}  // namespace simexit
