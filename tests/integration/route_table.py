"""The tenancy suite's route table (test_tenancy.py): every route simexit
serves, read from the router sources and from the served OpenAPI document,
classified by how it keeps one operator's objects from another's."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
API_SRC = ROOT / "src" / "simexit" / "api"
WEB_SRC = ROOT / "src" / "simexit" / "web"

# ----------------------------------------------------------------- route table
#
# OWNED: the path names an operator-owned object (line, termination, upload,
#   staff member, operator); every attacker gets 404 with `code`, exactly the
#   answer for an object that does not exist.
# ADMIN_ONLY: only admins may call it at all; everyone else gets 404 `code`.
# LIST: answers a list; it must hold nothing of another operator (or the
#   caller's own-operator refusal, which says nothing about beeline).
# EXEMPT: public, code/token-protected or own-scope; the reason says why no
#   operator's object can be reached through it.
# PAGE: a web page (src/simexit/web/) for a cookie session; it reaches data
#   only through the same service call as the /v1 route it names, whose
#   tenancy is attacked below, so it holds no rule of its own to attack.
OWNED, ADMIN_ONLY, LIST, EXEMPT, PAGE = "owned", "admin_only", "list", "exempt", "page"

ROUTES = {
    # Lines.
    ("GET", "/v1/lines/{msisdn}"): (OWNED, "line_not_found"),
    ("GET", "/v1/lines/{msisdn}/termination-quote"): (OWNED, "line_not_found"),
    # Terminations (POST /v1/terminations names the line in its body).
    ("POST", "/v1/terminations"): (OWNED, "line_not_found"),
    ("GET", "/v1/terminations/{id}"): (OWNED, "termination_not_found"),
    ("POST", "/v1/terminations/{id}/cancel"): (OWNED, "termination_not_found"),
    ("POST", "/v1/terminations/{id}/approve"): (OWNED, "termination_not_found"),
    ("POST", "/v1/terminations/{id}/reject"): (OWNED, "termination_not_found"),
    ("POST", "/v1/terminations/{id}/payments"): (OWNED, "termination_not_found"),
    ("GET", "/v1/terminations/{id}/certificate"): (OWNED, "termination_not_found"),
    ("POST", "/v1/terminations/{id}/confirmation/resend"): (OWNED, "termination_not_found"),
    ("GET", "/v1/terminations/{id}/application-form"): (OWNED, "termination_not_found"),
    ("GET", "/v1/terminations/{id}/certificate.pdf"): (OWNED, "termination_not_found"),
    ("GET", "/v1/terminations/{id}/application-form.pdf"): (OWNED, "termination_not_found"),
    # Reactivations (docs/reactivation.md; POST names the line in its body).
    ("POST", "/v1/reactivations"): (OWNED, "line_not_found"),
    ("GET", "/v1/reactivations/{id}"): (OWNED, "reactivation_not_found"),
    ("POST", "/v1/reactivations/{id}/approve"): (OWNED, "reactivation_not_found"),
    ("POST", "/v1/reactivations/{id}/reject"): (OWNED, "reactivation_not_found"),
    # Uploads (documents' scans).
    ("GET", "/v1/uploads/{id}"): (OWNED, "upload_not_found"),
    ("GET", "/v1/uploads/{id}/content"): (OWNED, "upload_not_found"),
    # Staff.
    ("GET", "/v1/staff/{id}"): (OWNED, "staff_not_found"),
    ("POST", "/v1/staff/{id}/disable"): (OWNED, "staff_not_found"),
    ("POST", "/v1/staff/{id}/enable"): (OWNED, "staff_not_found"),
    ("POST", "/v1/staff/{id}/reset-password"): (OWNED, "staff_not_found"),
    ("GET", "/v1/operators/{code}/staff"): (OWNED, "operator_not_found"),
    ("POST", "/v1/operators/{code}/staff"): (OWNED, "operator_not_found"),
    # Operators. Holders are not operator callers at all: "route_not_found".
    ("GET", "/v1/operators/{code}"): (OWNED, "operator_not_found"),
    ("PUT", "/v1/operators/{code}/policy"): (OWNED, "operator_not_found"),
    ("GET", "/v1/operators/{code}/audit-export"): (OWNED, "operator_not_found"),
    ("POST", "/v1/operators/{code}/activity"): (OWNED, "operator_not_found"),
    ("POST", "/v1/operators/{code}/bulk-terminations"): (OWNED, "operator_not_found"),
    ("GET", "/v1/operators/{code}/bulk-terminations/{id}"): (OWNED, "operator_not_found"),
    ("POST", "/v1/operators/{code}/api-keys"): (ADMIN_ONLY, "route_not_found"),
    ("POST", "/v1/operators"): (ADMIN_ONLY, "route_not_found"),
    # Number recycling clients (docs/number-recycling.md). Holders: "route_not_found".
    ("POST", "/v1/operators/{code}/number-recycling-clients"): (OWNED, "operator_not_found"),
    ("POST", "/v1/operators/{code}/webhooks"): (OWNED, "operator_not_found"),
    ("GET", "/v1/operators/{code}/webhooks"): (OWNED, "operator_not_found"),
    ("DELETE", "/v1/operators/{code}/webhooks/{id}"): (OWNED, "operator_not_found"),
    ("GET", "/v1/operators/{code}/webhook-deliveries"): (OWNED, "operator_not_found"),
    ("POST", "/v1/operators/{code}/webhook-deliveries/{id}/retry"): (OWNED, "operator_not_found"),
    ("POST", "/v1/number-recycling-clients/{id}/revoke"): (OWNED, "recycling_client_not_found"),
    ("GET", "/v1/number-recycling-clients/{id}/checks"): (OWNED, "recycling_client_not_found"),
    # Lists.
    ("GET", "/v1/terminations"): (LIST, "the caller's operator's terminations (holder: its line)"),
    ("GET", "/v1/reviews"): (LIST, "the review queue of the caller's operator"),
    ("GET", "/v1/reactivations"): (LIST, "the caller's operator's reactivations"),
    ("GET", "/v1/operators"): (LIST, "the operators the caller may see"),
    ("GET", "/v1/number-recycling-clients"): (
        LIST, "the number recycling clients of the caller's operator"),
    ("GET", "/v1/reports/disconnections"): (
        LIST, "the disconnections of the caller's operator's numbers"),
    # Public, secret-protected or own scope.
    ("GET", "/"): (EXEMPT, "public HTML landing page, no data"),
    ("GET", "/v1/health"): (EXEMPT, "public health check, no data"),
    ("GET", "/v1/openapi.yaml"): (EXEMPT, "public API description, no data"),
    ("GET", "/v1/certificates/public-key"): (EXEMPT, "public signing key, no data"),
    ("POST", "/v1/auth/otp"): (
        EXEMPT, "public holder sign-in: the code goes to the line itself, not to the caller"),
    ("POST", "/v1/auth/otp/verify"): (
        EXEMPT, "public holder sign-in: the SMS code is the proof of holding the line"),
    ("POST", "/v1/staff/login"): (
        EXEMPT, "public staff sign-in: the password is the proof; answers never tell "
                "whether a username exists (staff_service.hpp)"),
    ("POST", "/v1/auth/logout"): (EXEMPT, "own scope: ends the presented holder session only"),
    ("POST", "/number-recycling/v0.2/check"): (
        EXEMPT, "own scope: a number recycling client's key answers for its own operator's "
                "numbers; another operator's number answers 404 IDENTIFIER_NOT_FOUND like an "
                "unknown one (test_number_recycling.py)"),
    ("POST", "/number-recycling/v0.2/check-batch"): (
        EXEMPT, "own scope: as /number-recycling/v0.2/check, per number"),
    ("POST", "/v1/staff/logout"): (EXEMPT, "own scope: ends the presented session only"),
    ("GET", "/v1/staff/me"): (EXEMPT, "own scope: the caller's own account (checked below)"),
    ("POST", "/v1/uploads"): (
        EXEMPT, "own scope: creates an upload in the caller's own operator; using it "
                "across operators is tested through POST /v1/terminations"),
    ("POST", "/v1/terminations/{id}/confirm"): (
        EXEMPT, "no auth, the holder's SMS code is the proof; a wrong code answers alike "
                "for any operator's request (test_confirm_code_answers_alike_...)"),
    ("POST", "/v1/confirmations/{token}"): (
        EXEMPT, "no auth, the unguessable link token from the SMS is the proof"),
    ("GET", "/confirm/{token}"): (EXEMPT, "static HTML page with one button; reads nothing"),
    ("GET", "/verify/{serial}"): (
        EXEMPT, "public certificate check: the unguessable serial is the key; shows only "
                "validity, operator, masked number and date (test_certificate_pdf.py)"),
    ("POST", "/confirm/{token}"): (
        EXEMPT, "no auth, the unguessable link token from the SMS is the proof"),
    # Web pages (docs/web.md): the holder's self-service and the operator console.
    ("GET", "/assets/{name}"): (EXEMPT, "the pages' stylesheet and script, no data"),
    ("GET", "/my"): (EXEMPT, "the sign-in page, no data"),
    ("POST", "/my/code"): (PAGE, ("POST", "/v1/auth/otp")),
    ("POST", "/my/sign-in"): (PAGE, ("POST", "/v1/auth/otp/verify")),
    ("POST", "/my/sign-out"): (PAGE, ("POST", "/v1/auth/logout")),
    ("GET", "/my/line"): (PAGE, ("GET", "/v1/lines/{msisdn}")),
    ("GET", "/my/close"): (PAGE, ("GET", "/v1/lines/{msisdn}/termination-quote")),
    ("POST", "/my/close/review"): (PAGE, ("GET", "/v1/lines/{msisdn}/termination-quote")),
    ("POST", "/my/close"): (PAGE, ("POST", "/v1/terminations")),
    ("GET", "/my/terminations/{id}"): (PAGE, ("GET", "/v1/terminations/{id}")),
    ("POST", "/my/terminations/{id}/cancel"): (PAGE, ("POST", "/v1/terminations/{id}/cancel")),
    ("GET", "/my/terminations/{id}/certificate"): (
        PAGE, ("GET", "/v1/terminations/{id}/certificate")),
    ("GET", "/my/terminations/{id}/certificate.pdf"): (
        PAGE, ("GET", "/v1/terminations/{id}/certificate.pdf")),
    ("GET", "/console"): (EXEMPT, "own scope: the signed-in staff member's own name and role"),
    ("POST", "/console/sign-in"): (PAGE, ("POST", "/v1/staff/login")),
    ("POST", "/console/sign-out"): (PAGE, ("POST", "/v1/staff/logout")),
    ("GET", "/console/lines"): (PAGE, ("GET", "/v1/lines/{msisdn}")),
    ("GET", "/console/requests/new"): (PAGE, ("GET", "/v1/lines/{msisdn}")),
    ("POST", "/console/requests"): (PAGE, ("POST", "/v1/terminations")),
    ("POST", "/console/uploads"): (PAGE, ("POST", "/v1/uploads")),
    ("GET", "/console/terminations/{id}"): (PAGE, ("GET", "/v1/terminations/{id}")),
    ("POST", "/console/terminations/{id}/confirm"): (
        PAGE, ("POST", "/v1/terminations/{id}/confirm")),
    ("POST", "/console/terminations/{id}/resend"): (
        PAGE, ("POST", "/v1/terminations/{id}/confirmation/resend")),
    ("POST", "/console/terminations/{id}/payments"): (
        PAGE, ("POST", "/v1/terminations/{id}/payments")),
    ("POST", "/console/terminations/{id}/cancel"): (
        PAGE, ("POST", "/v1/terminations/{id}/cancel")),
    ("POST", "/console/terminations/{id}/decision"): (
        PAGE, ("POST", "/v1/terminations/{id}/approve")),
    ("GET", "/console/terminations/{id}/application-form"): (
        PAGE, ("GET", "/v1/terminations/{id}/application-form")),
    ("GET", "/console/terminations/{id}/application-form.pdf"): (
        PAGE, ("GET", "/v1/terminations/{id}/application-form.pdf")),
    ("GET", "/console/terminations/{id}/certificate.pdf"): (
        PAGE, ("GET", "/v1/terminations/{id}/certificate.pdf")),
    ("GET", "/console/reviews"): (PAGE, ("GET", "/v1/reviews")),
    ("GET", "/console/reactivations/new"): (PAGE, ("GET", "/v1/lines/{msisdn}")),
    ("POST", "/console/reactivations"): (PAGE, ("POST", "/v1/reactivations")),
    ("GET", "/console/reactivations"): (PAGE, ("GET", "/v1/reactivations")),
    ("GET", "/console/reactivations/{id}"): (PAGE, ("GET", "/v1/reactivations/{id}")),
    ("POST", "/console/reactivations/{id}/decision"): (
        PAGE, ("POST", "/v1/reactivations/{id}/approve")),
    ("GET", "/console/dashboard"): (PAGE, ("GET", "/v1/dashboard")),
    ("POST", "/console/dashboard/jobs/{id}/retry"): (PAGE, ("POST", "/v1/jobs/{id}/retry")),
    ("POST", "/console/dashboard/sms/{id}/retry"): (PAGE, ("POST", "/v1/sms/{id}/retry")),
    # The operator's dashboard and its failed work (a job belongs to the operator
    # of the termination, reactivation or SMS it works on).
    ("GET", "/v1/dashboard"): (LIST, "counts and failed work of the caller's operator only"),
    ("POST", "/v1/jobs/{id}/retry"): (OWNED, "job_not_found"),
    ("POST", "/v1/sms/{id}/retry"): (OWNED, "sms_not_found"),
}

ATTACKERS = ["kcell key", "kcell.store", "kcell.phone", "kcell.office", "kcell.admin",
             "kcell holder"]


def norm(path):
    """The path with its parameter names dropped: /v1/lines/{} ."""
    return re.sub(r"\{[^}]*\}", "{}", path)


ROUTES_BY_SHAPE = {(m, norm(p)): (m, p) for m, p in ROUTES}


def router_routes():
    """(METHOD, path) of every router.Add in the API sources (tests excluded).
    An Add whose path the pattern cannot read fails, so the parse is complete."""
    routes = set()
    for cpp in sorted([*API_SRC.glob("*.cpp"), *WEB_SRC.glob("*.cpp")]):
        if cpp.name.endswith("_test.cpp"):
            continue
        text = re.sub(r"//[^\n]*", "", cpp.read_text())
        calls = re.findall(r"\.Add\(", text)
        found = re.findall(r'\.Add\(\s*"([A-Z]+)"\s*,(.*?)\[', text, re.S)
        assert len(found) == len(calls), f"{cpp.name}: unreadable router.Add call(s)"
        for method, rest in found:
            paths = re.findall(r'"(/[^"]*)"', rest)
            assert paths, f"{cpp.name}: router.Add({method}, ...) names no literal path"
            routes.update((method, p) for p in paths)
    assert len(routes) >= 30, routes
    return routes


def openapi_routes(text):
    """(METHOD, path) of every operation of the OpenAPI document."""
    methods = ("get", "put", "post", "delete", "patch", "head", "options")
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        paths = yaml.safe_load(text)["paths"]
        return {(m.upper(), p) for p, ops in paths.items() for m in ops if m in methods}
    # Without PyYAML: paths are the 2-space keys under "paths:", operations the
    # 4-space keys under them.
    out, in_paths, path = set(), False, None
    for line in text.splitlines():
        if re.match(r"^\S", line):
            in_paths = line.startswith("paths:")
            continue
        if not in_paths:
            continue
        m = re.match(r"^  (/\S*):\s*$", line)
        if m:
            path = m.group(1).strip("'\"")
            continue
        m = re.match(r"^    (\w+):", line)
        if m and path and m.group(1) in methods:
            out.add((m.group(1).upper(), path))
    return out
