#include "simexit/domain/power_of_attorney.hpp"

#include <cstddef>
#include <string_view>
#include <utility>

#include "simexit/domain/utf8.hpp"

namespace simexit {
namespace {

constexpr std::size_t kMaxNumber = 64;
constexpr std::size_t kMaxIssuer = 256;

tl::unexpected<Error> Reject(std::string reason, std::string_view name, std::string message) {
  return FailField(ErrorCode::kInvalidArgument, std::move(reason),
                   "power_of_attorney." + std::string(name), std::move(message));
}

tl::unexpected<Error> Invalid(std::string_view name, std::string message) {
  return Reject("invalid_power_of_attorney", name, std::move(message));
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

// Printable text of 1..max code points once trimmed.
bool IsPrintableField(std::string_view text, std::size_t max) {
  text = Trim(text);
  std::u32string code_points;
  return !text.empty() && IsPrintableUtf8(text) && DecodeUtf8(text, &code_points) &&
         code_points.size() <= max;
}

bool IsTermination(std::string_view entry) {
  entry = Trim(entry);
  const std::string_view wanted = kTerminationScope;
  if (entry.size() != wanted.size()) {
    return false;
  }
  for (std::size_t i = 0; i < entry.size(); ++i) {
    const char c = entry[i];
    const char lower = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
    if (lower != wanted[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

Result<CheckedPowerOfAttorney> CheckPowerOfAttorney(const PowerOfAttorney& poa, CivilDate today,
                                                    const RegisteredHolder& principal) {
  if (!IsPrintableField(poa.number, kMaxNumber)) {
    return Invalid("number", "number is required: 1 to 64 printable characters");
  }
  auto issued_on = ParseIsoDate(Trim(poa.issued_on));
  if (!issued_on) {
    return Invalid("issued_on", "issued_on must be a real date as YYYY-MM-DD");
  }
  auto valid_until = ParseIsoDate(Trim(poa.valid_until));
  if (!valid_until) {
    return Invalid("valid_until", "valid_until must be a real date as YYYY-MM-DD");
  }
  if (*valid_until < *issued_on) {
    return Invalid("valid_until", "valid_until is before issued_on");
  }
  if (!IsPrintableField(poa.issuer, kMaxIssuer)) {
    return Invalid("issuer", "issuer is required: 1 to 256 printable characters");
  }
  const std::string principal_document = NormaliseDocumentNumber(poa.principal_document);
  if (principal_document.empty() || !IsPrintableUtf8(principal_document)) {
    return Invalid("principal_document", "principal_document is required");
  }
  if (poa.scope.empty()) {
    return Invalid("scope", "scope must list what the power of attorney allows");
  }
  for (const std::string& entry : poa.scope) {
    if (!IsPrintableField(entry, kMaxIssuer)) {
      return Invalid("scope", "scope entries must be non-empty printable text");
    }
  }

  if (*issued_on > today) {
    return Reject("power_of_attorney_not_yet_valid", "issued_on",
                  "the power of attorney is dated in the future");
  }
  if (*valid_until < today) {
    return Reject("power_of_attorney_expired", "valid_until", "the power of attorney has expired");
  }
  const std::string holder_iin = NormaliseDocumentNumber(principal.iin);
  const std::string holder_number = NormaliseDocumentNumber(principal.number);
  if (principal_document != holder_iin && principal_document != holder_number) {
    return Reject("power_of_attorney_wrong_principal", "principal_document",
                  "the power of attorney was given by someone other than the line's holder");
  }
  bool allows_termination = false;
  for (const std::string& entry : poa.scope) {
    allows_termination = allows_termination || IsTermination(entry);
  }
  if (!allows_termination) {
    return Reject("power_of_attorney_out_of_scope", "scope",
                  "the power of attorney does not allow closing the line (\"termination\")");
  }
  return CheckedPowerOfAttorney{
      poa.number, *issued_on, *valid_until, poa.issuer, poa.principal_document, poa.scope};
}

}  // namespace simexit
