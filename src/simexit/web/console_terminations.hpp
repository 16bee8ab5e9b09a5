#pragma once
// The console's request page and the actions posted from it (internal to
// web/): console_terminations.cpp and console_reviews.cpp.

#include <optional>
#include <string>

#include "simexit/api/problem.hpp"
#include "simexit/web/console_shell.hpp"

namespace simexit::web {

// What an action posted from the request page came to.
struct ActionOutcome {
  std::string action;  // "confirm", "resend", "payments", "cancel", "approve", "reject"
  std::optional<FieldError> error;
  std::string notice;  // a text to show (e.g. "a new code was sent")
  unsigned status = 200;
};

// The request page, with the outcome of an action shown next to its form.
api::HttpResponse TerminationPage(api::ApiServices& s, const PageContext& ctx,
                                  const StaffMember& me, const std::string& id,
                                  const ActionOutcome& outcome);

// The decision form of a request in review (console_reviews.cpp): empty
// unless the role may review and the request waits; says up front when the
// staff member opened it themselves (four eyes).
Html ReviewForm(const PageContext& ctx, const StaffMember& me, const TerminationRecord& t,
                const ActionOutcome& outcome);

// A POST from the request page: checks CSRF and the staff session, runs
// `fn(me, form)` (a Result<std::string>: the catalogue key of a notice, or
// ""), then redirects to the request page, or shows it with the problem next
// to the form that caused it.
template <typename Fn>
api::HttpResponse StaffAction(api::ApiServices& s, const api::HttpRequest& request,
                              const std::string& id, const std::string& action, Fn&& fn) {
  const PageContext ctx(request);
  std::optional<Form> form = CheckedForm(ctx);
  if (!form) {
    return StaffSignInPage(ctx, "", std::string("csrf"), 403);
  }
  return WithStaff(s, ctx, [&](const StaffMember& me) {
    Result<std::string> done = fn(me, *form);
    if (!done) {
      return TerminationPage(s, ctx, me, id,
                             ActionOutcome{action, ErrorFrom(ctx, done.error()), "",
                                           api::HttpStatusFor(done.error().code)});
    }
    if (!done->empty()) {
      if (std::optional<MessageKey> key = MessageKey::Find(*done)) {
        return TerminationPage(s, ctx, me, id,
                               ActionOutcome{action, std::nullopt, std::string(ctx.T(*key)), 200});
      }
    }
    return Redirect(ctx, TerminationPath(id));
  });
}

}  // namespace simexit::web
