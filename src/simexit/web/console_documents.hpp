#pragma once
// The presented-document part of the console's forms (internal to web/),
// shared by a request's form (console_requests.cpp) and a reactivation's
// (console_reactivations.cpp): the fields, the JSON member the API's decoder
// takes, and an API problem mapped to the form field it names.

#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "simexit/common/result.hpp"
#include "simexit/web/forms.hpp"

namespace simexit::web {

// The fields of a presented document, named `prefix` + kind, number,
// country, full_name, iin, birth_date, expiry_date, mrz ("document_",
// "attorney_"); the MRZ is checked as typed by the site script.
Html DocumentFields(const PageContext& ctx, const Form& form, const std::string& prefix,
                    const std::optional<FieldError>& error);

// The document member of a request body: what was typed, empty members left out.
boost::json::object DocumentJson(const Form& form, const std::string& prefix);

// The problem as a console form shows it: "document.expiry_date" ->
// document_expiry_date, "attorney_document.number" -> attorney_number,
// "power_of_attorney.issuer" -> poa_issuer, "upload_ids[1]" -> upload_ids; a
// wrong MRZ check digit names its part.
FieldError FormError(const PageContext& ctx, const Error& error);

}  // namespace simexit::web
