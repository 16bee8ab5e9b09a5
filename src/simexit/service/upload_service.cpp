#include "simexit/service/upload_service.hpp"

#include "simexit/common/crypto.hpp"
#include "simexit/common/log.hpp"
#include "simexit/domain/content_type.hpp"

namespace simexit {
namespace {

constexpr std::size_t kMaxFileNameBytes = 200;
constexpr std::size_t kMaxKeptExtensionBytes = 10;

tl::unexpected<Error> UploadNotFound() {
  return Fail(ErrorCode::kNotFound, "upload_not_found", "no such upload");
}

tl::unexpected<Error> InsufficientRole() {
  return Fail(ErrorCode::kPermissionDenied, "insufficient_role", "your role does not allow this");
}

bool IsContinuation(unsigned char c) { return (c & 0xC0) == 0x80; }

// Length of the valid UTF-8 sequence at text[i] (0 when invalid) and its
// code point.
std::size_t Utf8Sequence(std::string_view text, std::size_t i, char32_t* code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    *code_point = lead;
    return 1;
  } else if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    cp = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    cp = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    cp = lead & 0x07u;
  } else {
    return 0;
  }
  if (i + length > text.size()) {
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    if (!IsContinuation(byte(i + k))) {
      return 0;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  const char32_t min = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000;
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    return 0;
  }
  *code_point = cp;
  return length;
}

// Characters a file name shown to staff must not carry: C0 and C1 controls,
// DEL, and the bidirectional overrides that make "scan<RLO>fdp.exe" display as
// "scanexe.pdf".
bool IsDropped(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F;
}

// The longest prefix of valid UTF-8 `text` of at most `max` bytes that ends
// on a character boundary.
std::string_view CutUtf8(std::string_view text, std::size_t max) {
  if (text.size() <= max) {
    return text;
  }
  std::size_t end = max;
  while (end > 0 && IsContinuation(static_cast<unsigned char>(text[end]))) {
    --end;
  }
  return text.substr(0, end);
}

}  // namespace

std::string UploadService::SanitizeFileName(std::string_view name) {
  if (const std::size_t slash = name.find_last_of("/\\"); slash != std::string_view::npos) {
    name.remove_prefix(slash + 1);
  }
  std::string clean;
  clean.reserve(name.size());
  for (std::size_t i = 0; i < name.size();) {
    char32_t cp = 0;
    const std::size_t length = Utf8Sequence(name, i, &cp);
    if (length == 0) {  // Not UTF-8: dropped, so the name is valid JSON text.
      ++i;
      continue;
    }
    if (!IsDropped(cp)) {
      clean.append(name.substr(i, length));
    }
    i += length;
  }
  while (!clean.empty() && clean.back() == ' ') {
    clean.pop_back();
  }
  while (!clean.empty() && clean.front() == ' ') {
    clean.erase(0, 1);
  }
  if (clean == "." || clean == "..") {
    return "";
  }
  if (clean.size() <= kMaxFileNameBytes) {
    return clean;
  }
  // Too long: cut the stem, keep a short extension (it says the type).
  const std::size_t dot = clean.rfind('.');
  std::string_view extension;
  if (dot != std::string::npos && clean.size() - dot <= kMaxKeptExtensionBytes) {
    extension = std::string_view(clean).substr(dot);
  }
  const std::string_view stem = std::string_view(clean).substr(0, clean.size() - extension.size());
  return std::string(CutUtf8(stem, kMaxFileNameBytes - extension.size())) + std::string(extension);
}

Result<UploadRecord> UploadService::Upload(const Caller& caller, const NewUpload& upload) {
  const std::string_view bytes = upload.bytes;
  if (caller.kind == CallerKind::kHolder) {
    return Fail(ErrorCode::kNotFound, "route_not_found", "no such resource");
  }
  if (!caller.Can(Permission::kUpload)) {
    return InsufficientRole();
  }
  if (caller.operator_id == 0) {
    return Fail(ErrorCode::kInvalidArgument, "operator_required",
                "uploads belong to an operator: upload as its staff or with its API key");
  }
  std::string name = SanitizeFileName(upload.file_name);
  SIMEXIT_ASSIGN_OR_RETURN(std::string type,
                           CheckUpload(bytes, upload.declared_content_type, name, max_bytes_));
  if (name.empty()) {
    name = "upload" + std::string(ExtensionFor(type));
  }

  UploadRecord record;
  record.id = "upl_" + ctx_.random.Hex(12);
  record.operator_id = caller.operator_id;
  record.content_type = type;
  record.file_name = std::move(name);
  record.size = static_cast<std::int64_t>(bytes.size());
  record.sha256 = Sha256Hex(bytes);
  record.uploaded_by = caller.actor;
  record.created_at = ctx_.clock.Now();
  // The content first: a row never points at content that is not there. A
  // failure after this leaves at most an unreferenced blob, which the same
  // upload retried reuses.
  SIMEXIT_ASSIGN_OR_RETURN(std::string key, blobs_.Put(bytes, record.sha256));
  record.storage_key = key;

  AuditRecord audit;
  audit.actor = caller.actor;
  audit.action = "upload_stored";
  audit.subject = record.id;
  audit.detail = record.content_type + ", " + std::to_string(record.size) + " bytes";
  audit.request_id = CurrentRequestId();
  audit.at = record.created_at;
  audit.operator_id = caller.operator_id;
  SIMEXIT_TRY(ctx_.store.Transact([&](StoreTx& tx) -> Result<void> {
    SIMEXIT_TRY(tx.InsertUpload(record));
    SIMEXIT_TRY(tx.AppendAudit(audit));
    return {};
  }));
  return record;
}

Result<UploadRecord> UploadService::Get(const Caller& caller, const std::string& id) {
  if (caller.kind == CallerKind::kHolder) {
    return UploadNotFound();
  }
  if (!caller.Can(Permission::kViewLines)) {
    return InsufficientRole();
  }
  return TransactValue<UploadRecord>(ctx_.store, [&](StoreTx& tx) -> Result<UploadRecord> {
    Result<UploadRecord> upload = tx.GetUpload(id);
    if (!upload) {
      if (upload.error().code == ErrorCode::kNotFound) {
        return UploadNotFound();
      }
      return upload;
    }
    if (!caller.MaySee(upload->operator_id, Msisdn(), 0)) {
      return UploadNotFound();
    }
    return upload;
  });
}

Result<std::pair<UploadRecord, std::string>> UploadService::Download(const Caller& caller,
                                                                     const std::string& id) {
  SIMEXIT_ASSIGN_OR_RETURN(UploadRecord upload, Get(caller, id));
  Result<std::string> content = blobs_.Get(upload.storage_key);
  if (!content) {
    if (content.error().code == ErrorCode::kNotFound) {
      return Fail(ErrorCode::kInternal, "upload_content_missing",
                  "the content of upload " + upload.id + " is missing from the blob store");
    }
    return Fail(content.error());
  }
  return std::make_pair(std::move(upload), std::move(*content));
}

}  // namespace simexit
