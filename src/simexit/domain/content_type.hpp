#pragma once
// What an uploaded file really is, decided from its bytes (never from what the
// client says), and the checks every upload passes before it is stored.
//
// Only three kinds of file are accepted: scans and photos of applications and
// documents arrive as PDF, JPEG or PNG. Anything else (HTML, SVG, office files,
// archives) is refused, so a stored upload can never be served back as active
// content.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "simexit/common/result.hpp"

namespace simexit {

inline constexpr std::string_view kContentTypePdf = "application/pdf";
inline constexpr std::string_view kContentTypeJpeg = "image/jpeg";
inline constexpr std::string_view kContentTypePng = "image/png";

// The reason CheckUpload gives for a file over the size limit. It is
// kInvalidArgument like the others; the HTTP route answers it with 413.
inline constexpr std::string_view kUploadTooLarge = "upload_too_large";

// "application/pdf" when `bytes` starts with "%PDF-", "image/jpeg" for FF D8 FF,
// "image/png" for the 8-byte PNG signature; nullopt otherwise.
std::optional<std::string> SniffContentType(std::string_view bytes);

// The file-name extension that belongs to a sniffed content type: ".pdf",
// ".jpg", ".png" ("" for anything else).
std::string_view ExtensionFor(std::string_view content_type);

// Checks an upload and returns its sniffed content type. Errors, all
// kInvalidArgument, in this order:
//  - "upload_empty": no bytes;
//  - "upload_too_large": more than `max_bytes` bytes;
//  - "unsupported_upload_type": the content is not PDF, JPEG or PNG;
//  - "upload_type_mismatch": `declared_content_type` (media type compared
//    case-insensitively, parameters ignored; "image/jpg" and "image/pjpeg"
//    count as JPEG) names another type, or `file_name` has an extension other
//    than the content's (.pdf; .jpg or .jpeg; .png; case-insensitive).
//    An empty declared type or "application/octet-stream" claims nothing; a
//    file name without an extension claims nothing.
Result<std::string> CheckUpload(std::string_view bytes, std::string_view declared_content_type,
                                std::string_view file_name, std::int64_t max_bytes);

}  // namespace simexit
