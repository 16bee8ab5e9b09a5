#pragma once
// The printed documents as PDF answers (documents/documents.hpp), shared by
// the /v1 routes (routes_documents.cpp), the holder's pages and the console.
// Rendering runs on the handler thread that calls these (never on an I/O
// thread: http_server.hpp), a few milliseconds per document.

#include <string>

#include "simexit/api/http_server.hpp"
#include "simexit/api/routes.hpp"
#include "simexit/domain/language.hpp"

namespace simexit::api {

// The language a document is printed in: ?lang= when it names one of ours,
// else `fallback` (the holder's), else Russian.
Language DocumentLanguage(const HttpRequest& request, const std::string& fallback);

// The certificate PDF of termination `id` as `caller` may read it: 200
// application/pdf, attachment "<serial>.pdf". Errors as
// TerminationService::Certificate (kNotFound "termination_not_found",
// kFailedPrecondition "certificate_not_ready"), or the renderer's.
Result<HttpResponse> CertificatePdf(ApiServices& s, const HttpRequest& request,
                                    const Caller& caller, const std::string& id);

// The application form PDF, attachment "<id>-application.pdf". Errors as
// TerminationService::Form, or the renderer's.
Result<HttpResponse> ApplicationFormPdf(ApiServices& s, const HttpRequest& request,
                                        const Caller& caller, const std::string& id);

// GET /v1/terminations/{id}/certificate.pdf and /application-form.pdf.
void AddDocumentRoutes(Router& router, ApiServices& s);

}  // namespace simexit::api
