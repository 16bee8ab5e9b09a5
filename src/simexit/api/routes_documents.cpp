#include "simexit/api/pdf_responses.hpp"
#include "simexit/api/problem.hpp"
#include "simexit/api/route_helpers.hpp"
#include "simexit/documents/documents.hpp"

namespace simexit::api {
namespace {

HttpResponse Pdf(std::string body, const std::string& file_name) {
  HttpResponse response;
  response.content_type = "application/pdf";
  response.body = std::move(body);
  response.headers.emplace_back("Content-Disposition",
                                "attachment; filename=\"" + file_name + "\"");
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return response;
}

}  // namespace

Language DocumentLanguage(const HttpRequest& request, const std::string& fallback) {
  if (auto it = request.query.find("lang"); it != request.query.end()) {
    if (std::optional<Language> chosen = ParseLanguage(it->second)) {
      return *chosen;
    }
  }
  return ParseLanguage(fallback).value_or(kFallbackLanguage);
}

Result<HttpResponse> CertificatePdf(ApiServices& s, const HttpRequest& request,
                                    const Caller& caller, const std::string& id) {
  SIMEXIT_ASSIGN_OR_RETURN(PrintableCertificate cert,
                           s.terminations.CertificateForPrint(caller, id));
  SIMEXIT_ASSIGN_OR_RETURN(
      std::string pdf,
      documents::RenderCertificatePdf({.document = cert.record.document,
                                       .language = DocumentLanguage(request, cert.language),
                                       .time_zone = cert.time_zone,
                                       .verify_url = cert.verify_url}));
  return Pdf(std::move(pdf), cert.record.serial + ".pdf");
}

Result<HttpResponse> ApplicationFormPdf(ApiServices& s, const HttpRequest& request,
                                        const Caller& caller, const std::string& id) {
  SIMEXIT_ASSIGN_OR_RETURN(ApplicationForm form, s.terminations.Form(caller, id));
  SIMEXIT_ASSIGN_OR_RETURN(
      std::string pdf,
      documents::RenderApplicationFormPdf(form, DocumentLanguage(request, form.holder.language)));
  return Pdf(std::move(pdf), form.termination.id + "-application.pdf");
}

void AddDocumentRoutes(Router& router, ApiServices& s) {
  router.Add("GET", "/v1/terminations/{id}/certificate.pdf",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<HttpResponse> pdf = CertificatePdf(s, request, caller, p.at("id"));
                 return pdf ? std::move(*pdf) : ProblemFromError(pdf.error());
               });
             });
  router.Add("GET", "/v1/terminations/{id}/application-form.pdf",
             [&s](const HttpRequest& request, const PathParams& p) {
               return WithCaller(s, request, [&](const Caller& caller) {
                 Result<HttpResponse> pdf = ApplicationFormPdf(s, request, caller, p.at("id"));
                 return pdf ? std::move(*pdf) : ProblemFromError(pdf.error());
               });
             });
}

}  // namespace simexit::api
