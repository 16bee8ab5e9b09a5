#include "simexit/domain/content_type.hpp"

#include <algorithm>
#include <cctype>

namespace simexit {
namespace {

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) {
    text.remove_suffix(1);
  }
  return text;
}

// The content type a declared media type names; "" when it claims nothing.
std::string DeclaredType(std::string_view declared) {
  std::string media = Lower(Trim(declared.substr(0, declared.find(';'))));
  if (media == "image/jpg" || media == "image/pjpeg") {
    media = kContentTypeJpeg;
  } else if (media == "application/octet-stream") {
    media.clear();
  }
  // One object returned on every path: with a temporary returned on some,
  // GCC 12 at -O2 (the release preset) reports a false -Wrestrict overlap.
  return media;
}

// The content type a file name's extension names; "" when it has none. An
// unknown extension names itself, so it never matches.
std::string TypeOfExtension(std::string_view file_name) {
  const std::size_t dot = file_name.rfind('.');
  if (dot == std::string_view::npos || dot == 0) {
    return "";
  }
  const std::string ext = Lower(file_name.substr(dot + 1));
  if (ext == "pdf") {
    return std::string(kContentTypePdf);
  }
  if (ext == "jpg" || ext == "jpeg") {
    return std::string(kContentTypeJpeg);
  }
  if (ext == "png") {
    return std::string(kContentTypePng);
  }
  return "." + ext;
}

}  // namespace

std::optional<std::string> SniffContentType(std::string_view bytes) {
  constexpr std::string_view kPng("\x89PNG\r\n\x1a\n", 8);
  if (bytes.substr(0, 5) == "%PDF-") {
    return std::string(kContentTypePdf);
  }
  if (bytes.substr(0, 3) == std::string_view("\xFF\xD8\xFF", 3)) {
    return std::string(kContentTypeJpeg);
  }
  if (bytes.substr(0, kPng.size()) == kPng) {
    return std::string(kContentTypePng);
  }
  return std::nullopt;
}

std::string_view ExtensionFor(std::string_view content_type) {
  if (content_type == kContentTypePdf) {
    return ".pdf";
  }
  if (content_type == kContentTypeJpeg) {
    return ".jpg";
  }
  if (content_type == kContentTypePng) {
    return ".png";
  }
  return "";
}

Result<std::string> CheckUpload(std::string_view bytes, std::string_view declared_content_type,
                                std::string_view file_name, std::int64_t max_bytes) {
  if (bytes.empty()) {
    return Fail(ErrorCode::kInvalidArgument, "upload_empty", "the upload has no content");
  }
  if (max_bytes < 0 || bytes.size() > static_cast<std::uint64_t>(max_bytes)) {
    return Fail(ErrorCode::kInvalidArgument, std::string(kUploadTooLarge),
                "the upload exceeds " + std::to_string(max_bytes) + " bytes");
  }
  std::optional<std::string> sniffed = SniffContentType(bytes);
  if (!sniffed) {
    return Fail(ErrorCode::kInvalidArgument, "unsupported_upload_type",
                "the upload must be a PDF, JPEG or PNG file");
  }
  if (const std::string declared = DeclaredType(declared_content_type);
      !declared.empty() && declared != *sniffed) {
    return Fail(ErrorCode::kInvalidArgument, "upload_type_mismatch",
                "the Content-Type names another type than the content (" + *sniffed + ")");
  }
  if (const std::string by_name = TypeOfExtension(file_name);
      !by_name.empty() && by_name != *sniffed) {
    return Fail(ErrorCode::kInvalidArgument, "upload_type_mismatch",
                "the file name's extension does not match the content (" + *sniffed + ")");
  }
  return *sniffed;
}

}  // namespace simexit
