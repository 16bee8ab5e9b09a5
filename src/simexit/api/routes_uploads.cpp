// Uploads: scans of posted applications and documents (UploadService).
//
//   POST /v1/uploads?filename=scan.pdf   raw bytes, Content-Type header -> 201
//   GET  /v1/uploads/{id}                metadata
//   GET  /v1/uploads/{id}/content        the bytes, as an attachment

#include <boost/json.hpp>
#include <cctype>

#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/api/routes.hpp"

namespace simexit::api {
namespace {

namespace json = boost::json;

json::object UploadJson(const UploadRecord& u) {
  return json::object{{"id", u.id},
                      {"content_type", u.content_type},
                      {"size", u.size},
                      {"sha256", u.sha256},
                      {"file_name", u.file_name},
                      {"created_at", FormatRfc3339(u.created_at)}};
}

// Content-Disposition for a sanitised (UTF-8, no control characters) file
// name: an ASCII fallback in filename="...", the exact name in filename*
// (RFC 6266, RFC 8187).
std::string ContentDisposition(const std::string& name) {
  std::string ascii;
  std::string encoded;
  constexpr std::string_view kAttrChars = "!#$&+-.^_`|~";
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F && c != '"' && c != '\\') {
      ascii += ch;
    } else if (c < 0x80 || c >= 0xC0) {
      ascii += '_';  // one per character: UTF-8 continuation bytes add none
    }
    if (std::isalnum(c) != 0 || kAttrChars.find(ch) != std::string_view::npos) {
      encoded += ch;
    } else {
      constexpr char kHex[] = "0123456789ABCDEF";
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0x0F];
    }
  }
  return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + encoded;
}

// The upload command: the raw body, its Content-Type and ?filename= (each may
// be empty; UploadService checks them against the content).
NewUpload UploadFrom(const HttpRequest& request) {
  NewUpload upload;
  upload.bytes = request.body;
  upload.declared_content_type = request.Header("content-type");
  if (auto it = request.query.find("filename"); it != request.query.end()) {
    upload.file_name = it->second;
  }
  return upload;
}

}  // namespace

void AddUploadRoutes(Router& router, ApiServices& s) {
  router.Add("POST", "/v1/uploads", [&s](const HttpRequest& request, const PathParams&) {
    return WithCaller(s, request, [&](const Caller& caller) {
      Result<UploadRecord> up = s.uploads.Upload(caller, UploadFrom(request));
      if (!up) {
        return ProblemFromError(up.error());  // upload_too_large: 413
      }
      HttpResponse response = Json(201, UploadJson(*up));
      response.headers.emplace_back("Location", "/v1/uploads/" + up->id);
      return response;
    });
  });

  router.Add("GET", "/v1/uploads/{id}", [&s](const HttpRequest& request, const PathParams& p) {
    return WithCaller(s, request, [&](const Caller& caller) {
      Result<UploadRecord> up = s.uploads.Get(caller, p.at("id"));
      if (!up) {
        return ProblemFromError(up.error());
      }
      return Json(200, UploadJson(*up));
    });
  });

  router.Add("GET", "/v1/uploads/{id}/content",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 auto down = s.uploads.Download(caller, p.at("id"));
                 if (!down) {
                   return ProblemFromError(down.error());
                 }
                 HttpResponse response;
                 response.content_type = down->first.content_type;
                 response.body = std::move(down->second);
                 response.headers.emplace_back("Content-Disposition",
                                               ContentDisposition(down->first.file_name));
                 // Never rendered as anything but the sniffed type, never cached:
                 // scans carry personal data.
                 response.headers.emplace_back("X-Content-Type-Options", "nosniff");
                 response.headers.emplace_back("Cache-Control", "private, no-store");
                 return response;
               });
             });
}

}  // namespace simexit::api
