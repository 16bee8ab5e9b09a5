// The public certificate check (/verify/{serial}, docs/certificate.md): the
// page the QR code on a certificate leads to. No sign-in. It says whether a
// certificate with that serial exists and its signature holds, the operator,
// the number masked (+7 701 *** ** 67) and the day it was closed; nothing else
// about the holder. An unknown serial and one that cannot be a serial get the
// same page (same status, same text; the serial is not echoed) after the same
// work (TerminationService::CheckCertificate). Per client address at most 30
// checks a minute: over that, 429 "too_many_checks" with Retry-After.

#include <chrono>
#include <memory>

#include "simexit/common/rate_limiter.hpp"
#include "simexit/common/time_zone.hpp"
#include "simexit/documents/documents.hpp"
#include "simexit/web/page.hpp"
#include "simexit/web/pages.hpp"

namespace simexit::web {
namespace {

constexpr RateLimit kChecksPerAddress{.per_second = 30.0 / 60.0, .burst = 30};
constexpr std::size_t kMaxTrackedAddresses = 10000;

api::HttpResponse Outcome(const PageContext& ctx, std::string_view code, MessageKey text,
                          const Html& details, unsigned status, const std::string& path) {
  const bool valid = code == std::string_view("valid");
  Html main;
  main << "<h1>" << Text(ctx.T("verify.title")) << "</h1><p id=\"outcome\" class=\""
       << Text(valid ? "notice" : "alert") << "\" role=\"status\" data-code=\"" << Text(code)
       << "\">" << Text(ctx.T(text)) << "</p>" << details;
  return Page(ctx, ctx.T("verify.title"), main, status, PageOptions{false, path});
}

void Row(Html& h, const PageContext& ctx, MessageKey label, const std::string& value) {
  h << "<dt>" << Text(ctx.T(label)) << "</dt><dd>" << Text(value) << "</dd>";
}

}  // namespace

void AddVerifyPage(api::Router& router, api::ApiServices& s) {
  auto limiter = std::make_shared<RateLimiter>(kChecksPerAddress, kMaxTrackedAddresses);
  router.Add("GET", "/verify/{serial}",
             [&s, limiter](const api::HttpRequest& request, const api::PathParams& p) {
               const PageContext ctx(request);
               if (std::optional<std::chrono::seconds> wait =
                       limiter->Take(request.remote_address, RateLimiter::Clock::now())) {
                 api::HttpResponse response =
                     Outcome(ctx, "too_many_checks", "error.too_many_checks", Html(), 429, "/my");
                 response.headers.emplace_back("Retry-After", std::to_string(wait->count()));
                 return response;
               }
               const std::string& serial = p.at("serial");
               Result<std::optional<CertificateCheck>> check =
                   s.terminations.CheckCertificate(serial);
               if (!check) {
                 return Outcome(ctx, "busy", "error.busy", Html(), 503, "/my");
               }
               if (!*check) {
                 return Outcome(ctx, "not_found", "verify.not_found", Html(), 404, "/my");
               }
               const CertificateCheck& c = **check;
               const std::string path = "/verify/" + c.serial;
               Html details;
               details << "<dl class=\"card\" id=\"certificate\">";
               Row(details, ctx, "certificate.serial", c.serial);
               if (c.valid) {
                 Row(details, ctx, "form.operator", c.operator_name);
                 Row(details, ctx, "form.msisdn", documents::MaskMsisdn(c.msisdn));
                 Row(details, ctx, "certificate.closed_on",
                     FormatDateInZone(c.terminated_at, c.time_zone));
               }
               details << "</dl>";
               if (!c.valid) {
                 return Outcome(ctx, "invalid", "verify.invalid", details, 200, path);
               }
               return Outcome(ctx, "valid", "verify.valid", details, 200, path);
             });
}

}  // namespace simexit::web
