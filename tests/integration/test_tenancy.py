"""Tenancy: every credential of one operator is confined to that operator.

Issue 4: "every staff member, API key and query is confined to its operator.
A test suite tries, for every route, to read or change another operator's
line, termination, document, staff or review with each role, and every attempt
fails with 404 (not 403: no existence leak)."

One installation (module-scoped) holds BEELINE's objects: lines, a termination
of each channel (store scheduled, store awaiting payment, store terminated with
a certificate, proxy in review, phone waiting for the holder's code, phone
confirmed and in review, mail with a scan, online by the holder), a free
upload, beeline's staff and its review queue. The attackers are every KCELL
credential: the operator API key, each staff role and a holder's session.

The route table (route_table.py) classifies every route the C++ router registers and
every path of the served OpenAPI document; a route in either that the table
does not classify fails the suite, so a new route cannot slip past it.
"""

import datetime
import json
import re

import pytest

from conftest import Simexit
from route_table import (ADMIN_ONLY, ATTACKERS, EXEMPT, LIST, OWNED, PAGE, ROUTES,
                         ROUTES_BY_SHAPE, norm, openapi_routes, router_routes)


IBAN = "KZ86125KZT5004100100"  # valid KZ IBAN (ISO 13616 check digits 86)
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


# --------------------------------------------------------------------- helpers


def tomorrow():
    return (datetime.datetime.now(datetime.timezone.utc).date()
            + datetime.timedelta(days=1)).isoformat()


def today():
    return datetime.datetime.now(datetime.timezone.utc).date().isoformat()


def attorney_power(s, msisdn):
    """The attorney's own passport and a valid power of attorney for the holder."""
    line = s.lines[msisdn]
    return {
        "attorney_document": {"kind": "passport", "number": "P7654321", "country": "GBR",
                              "full_name": "ATTORNEY ANNA", "expiry_date": "2034-05-31"},
        "power_of_attorney": {"number": "POA-77", "issued_on": "2025-01-10",
                              "valid_until": "2035-01-10", "issuer": "Notary Almaty",
                              "principal_document": line["document_number"],
                              "scope": ["termination"]},
    }


def upload(s, token):
    r = s.request("POST", "/v1/uploads?filename=scan.pdf", raw=PDF, token=token,
                  headers={"Content-Type": "application/pdf"})
    assert r.status == 201, r
    return r.json["id"]


def confirmation_code(s, msisdn):
    msgs = [m for m in s.sms(msisdn) if m.get("kind") == "phone_request_confirmation"]
    assert msgs, s.sms(msisdn)
    return re.search(r"\b(\d{6})\b", msgs[-1]["text"]).group(1)


def create(s, token, body, state=None):
    r = s.post("/v1/terminations", body, token=token)
    assert r.status == 201, (body, r)
    if state:
        assert r.json["state"] == state, (body, r)
    return r.json


def create_bodies(s, msisdn, kcell_upload):
    """A complete request of each channel for `msisdn`, so that nothing but the
    line's operator can stop it."""
    evidence = attorney_power(s, msisdn)
    return {
        "online": {"msisdn": msisdn, "channel": "online", "scheduled_for": tomorrow(),
                   "refund": {"method": "iban", "destination": IBAN}},
        "store": {"msisdn": msisdn, "channel": "store", "scheduled_for": tomorrow(),
                  "document": s.holder_document(msisdn),
                  "refund": {"method": "iban", "destination": IBAN}},
        "proxy": {"msisdn": msisdn, "channel": "proxy", "scheduled_for": tomorrow(),
                  "refund": {"method": "iban", "destination": IBAN}, **evidence},
        "phone": {"msisdn": msisdn, "channel": "phone", "scheduled_for": tomorrow(),
                  "refund": {"method": "iban", "destination": IBAN}},
        "mail": {"msisdn": msisdn, "channel": "mail", "scheduled_for": tomorrow(),
                 "document": s.holder_document(msisdn), "postmarked_on": today(),
                 "upload_ids": [kcell_upload],
                 "refund": {"method": "iban", "destination": IBAN}},
    }


def reactivation_body(s, msisdn, channel):
    """A complete request to give `msisdn` back to its former holder on a new SIM."""
    body = {"msisdn": msisdn, "channel": channel, "document": s.holder_document(msisdn),
            "iccid": "8977019999000000011", "imsi": "250999000000014"}
    if channel == "mail":
        body["postmarked_on"] = today()
    return body


def problem_shape(r, asked):
    """What a 404 tells: status, code, title, field, and the detail with the
    ids asked for replaced, so an id echoed back does not count as a difference."""
    j = r.json or {}
    detail = str(j.get("detail", ""))
    for t in sorted(asked, key=len, reverse=True):
        detail = detail.replace(t, "<id>")
    return (r.status, j.get("code"), j.get("title"), j.get("field"), detail)


# --------------------------------------------------------------------- fixture


class World:
    """The installation with beeline's objects and kcell's credentials."""


@pytest.fixture(scope="module")
def world(hlr, tmp_path_factory):
    s = Simexit(tmp_path_factory.mktemp("tenancy"), worker=False)
    s.demo()
    s.start()
    try:
        yield build_world(s)
    finally:
        s.stop()


def build_world(s):
    w = World()
    w.s = s
    bkey = s.keys["beeline"]
    b_store, b_phone = s.staff_token("beeline.store"), s.staff_token("beeline.phone")
    b_office = s.staff_token("beeline.office")
    b = [s.demo_line("beeline", n) for n in range(12)]
    w.beeline_lines = b
    w.terminations = {}  # label -> id

    # Store, scheduled for tomorrow (cancellable, nothing due yet).
    w.terminations["store scheduled"] = create(s, b_store, {
        "msisdn": b[2], "channel": "store", "scheduled_for": tomorrow(),
        "document": s.holder_document(b[2])}, "scheduled")["id"]
    # Store on a line in debt: waits for the payment.
    w.terminations["store awaiting payment"] = create(s, b_store, {
        "msisdn": b[3], "channel": "store", "document": s.holder_document(b[3])})["id"]
    # Store with a refund, through to the certificate.
    w.terminations["store terminated"] = create(s, b_store, {
        "msisdn": b[0], "channel": "store", "document": s.holder_document(b[0]),
        "refund": {"method": "iban", "destination": IBAN}})["id"]
    # Proxy: an attorney's request, in review.
    w.terminations["proxy in review"] = create(s, b_store, {
        "msisdn": b[4], "channel": "proxy", "refund": {"method": "iban", "destination": IBAN},
        **attorney_power(s, b[4])}, "in_review")["id"]
    # Phone: waiting for the holder's code.
    w.terminations["phone pending"] = create(s, b_phone, {
        "msisdn": b[6], "channel": "phone"}, "submitted")["id"]
    w.beeline_pending_phone_msisdn = b[6]
    # Phone, confirmed by the holder: in review.
    tid = create(s, b_phone, {"msisdn": b[10], "channel": "phone"}, "submitted")["id"]
    r = s.post(f"/v1/terminations/{tid}/confirm", {"code": confirmation_code(s, b[10])})
    assert r.status == 200 and r.json["state"] == "in_review", r
    w.terminations["phone in review"] = tid
    # Mail: the posted application with its scan, in review.
    w.beeline_mail_upload = upload(s, b_office)
    w.terminations["mail in review"] = create(s, b_office, {
        "msisdn": b[5], "channel": "mail", "document": s.holder_document(b[5]),
        "postmarked_on": today(), "upload_ids": [w.beeline_mail_upload],
        "refund": {"method": "iban", "destination": IBAN}}, "in_review")["id"]
    # Online, by the holder, scheduled.
    holder = s.sign_in(b[8])
    w.terminations["online scheduled"] = create(s, holder, {
        "msisdn": b[8], "channel": "online", "scheduled_for": tomorrow(),
        "refund": {"method": "iban", "destination": IBAN}})["id"]
    # An upload not attached to anything yet.
    w.beeline_free_upload = upload(s, bkey)

    # Drive the immediate store requests as far as they go.
    for _ in range(5):
        s.worker()
    r = s.get(f"/v1/terminations/{w.terminations['store terminated']}", token=bkey)
    assert r.json["state"] == "terminated" and r.json["certificate"], r
    r = s.get(f"/v1/terminations/{w.terminations['store awaiting payment']}", token=bkey)
    assert r.json["state"] == "awaiting_payment", r
    w.amount_due = r.json["settlement"]["amount_due"]
    # A posted application to get the closed number back, waiting for review.
    r = s.post("/v1/reactivations", reactivation_body(s, b[0], "mail"), token=b_office)
    assert r.status == 201 and r.json["state"] == "pending_review", r
    w.beeline_reactivation = r.json["id"]
    # A bulk closure of beeline's (of a line already closed: when a worker
    # opens it, the line fails to open and nothing else changes).
    r = s.post("/v1/operators/beeline/bulk-terminations",
               {"reason_code": "contract_ended", "msisdns": [b[0]]}, token=bkey)
    assert r.status == 202, r
    w.beeline_bulk = r.json["id"]
    r = s.get("/v1/reviews", token=b_office)
    assert r.status == 200, r
    queued = {i["id"] for i in r.json["items"]}
    assert {w.terminations[k] for k in ("proxy in review", "phone in review",
                                        "mail in review")} <= queued, r
    w.beeline_staff = dict(s.db_query(
        "SELECT s.username, s.id FROM staff s JOIN operators o ON o.id = s.operator_id "
        "WHERE o.code = 'beeline'"))
    assert len(w.beeline_staff) == 5, w.beeline_staff

    # Kcell: its own objects (for the 403 checks and the confirm comparison),
    # and the attackers' credentials, all made before any snapshot.
    k = [s.demo_line("kcell", n) for n in range(12)]
    w.kcell_lines = k
    w.kcell_upload = upload(s, s.keys["kcell"])
    w.kcell_proxy = create(s, s.staff_token("kcell.store"), {
        "msisdn": k[4], "channel": "proxy", "refund": {"method": "iban", "destination": IBAN},
        **attorney_power(s, k[4])}, "in_review")["id"]
    w.kcell_phone = create(s, s.staff_token("kcell.phone"), {
        "msisdn": k[6], "channel": "phone"}, "submitted")["id"]
    w.kcell_phone_msisdn = k[6]
    w.kcell_free_line = k[2]  # no termination: target of the upload attack
    w.tokens = {"kcell key": s.keys["kcell"], "kcell holder": s.sign_in(k[11])}
    for name in ("kcell.store", "kcell.phone", "kcell.office", "kcell.admin"):
        w.tokens[name] = s.staff_token(name)
    assert set(w.tokens) == set(ATTACKERS), w.tokens

    # A beeline number recycling client (a bank).
    out = s.cli("recycling-clients", "create", "--operator", "beeline", "--name",
                "Beeline Bank").stdout
    w.beeline_recycling_client = re.search(r"client (\d+) for beeline", out).group(1)

    # Everything that names beeline, to look for in list answers.
    w.markers = ({"beeline", w.beeline_reactivation, w.beeline_bulk} | set(b) | set(w.terminations.values())
                 | {w.beeline_mail_upload, w.beeline_free_upload} | set(w.beeline_staff))
    return w


def snapshot_all(s):
    """Every table but audit_log and its chain. They are excluded because
    recording the refused attempts is their job (staff_service.hpp: every
    sign-in attempt is audited, each record a link, docs/audit.md); nothing
    else may change."""
    tables = set(s.tables())
    assert {"terminations", "termination_events", "lines", "staff", "staff_sessions",
            "uploads", "document_checks", "powers_of_attorney", "confirmations", "operators",
            "api_keys", "jobs", "sms_messages", "audit_log"} <= tables, tables
    return s.snapshot(*sorted(tables - {"audit_log", "audit_chain"}))


# ------------------------------------------------------------------ the attacks


def owned_attacks(w):
    """(route, method, path, body, fake_path, fake_body, codes) for every
    OWNED/ADMIN_ONLY route and beeline object; `codes` overrides the route's
    404 code for some attackers ("code" or (status, code)). The fake is the
    same request for an object that does not exist: the answers must match."""
    out = []
    s = w.s
    fake_msisdn = "+77059999999"
    fake_tid = "trm_" + "0" * 24
    fake_upload = "upl_" + "0" * 24
    fake_staff = "999999"

    def add(route, path, body=None, fake_path=None, fake_body=None, codes=None):
        out.append((route, route[0], path, body, fake_path or path, fake_body, codes))

    for m in w.beeline_lines:
        add(("GET", "/v1/lines/{msisdn}"), f"/v1/lines/{m}",
            fake_path=f"/v1/lines/{fake_msisdn}")
        add(("GET", "/v1/lines/{msisdn}/termination-quote"),
            f"/v1/lines/{m}/termination-quote?channel=store",
            fake_path=f"/v1/lines/{fake_msisdn}/termination-quote?channel=store")
    # Every channel on beeline lines with and without a termination.
    for m in (w.beeline_lines[1], w.beeline_lines[7], w.beeline_lines[2]):
        bodies = create_bodies(s, m, w.kcell_upload)
        fakes = create_bodies(s, m, w.kcell_upload)
        for channel in bodies:
            fakes[channel]["msisdn"] = fake_msisdn
            # A holder may only ever use the online channel: any other is refused
            # before a line is looked up, alike for every line, its own included
            # (the comparison with a missing line below checks "alike").
            codes = None if channel == "online" else {"kcell holder": (400, "invalid_channel")}
            add(("POST", "/v1/terminations"), "/v1/terminations", bodies[channel],
                fake_body=fakes[channel], codes=codes)
    for label, tid in w.terminations.items():
        p, f = f"/v1/terminations/{tid}", f"/v1/terminations/{fake_tid}"
        add(("GET", "/v1/terminations/{id}"), p, fake_path=f)
        add(("POST", "/v1/terminations/{id}/cancel"), p + "/cancel", {"reason": "probe"},
            fake_path=f + "/cancel", fake_body={"reason": "probe"})
        add(("POST", "/v1/terminations/{id}/approve"), p + "/approve", {},
            fake_path=f + "/approve", fake_body={})
        reject = {"reason_code": "other", "reason": "tenancy probe"}
        add(("POST", "/v1/terminations/{id}/reject"), p + "/reject", reject,
            fake_path=f + "/reject", fake_body=reject)
        pay = {"amount": w.amount_due}
        add(("POST", "/v1/terminations/{id}/payments"), p + "/payments", pay,
            fake_path=f + "/payments", fake_body=pay)
        add(("GET", "/v1/terminations/{id}/certificate"), p + "/certificate",
            fake_path=f + "/certificate")
        add(("POST", "/v1/terminations/{id}/confirmation/resend"),
            p + "/confirmation/resend", {}, fake_path=f + "/confirmation/resend", fake_body={})
        add(("GET", "/v1/terminations/{id}/application-form"), p + "/application-form",
            fake_path=f + "/application-form")
        add(("GET", "/v1/terminations/{id}/certificate.pdf"), p + "/certificate.pdf",
            fake_path=f + "/certificate.pdf")
        add(("GET", "/v1/terminations/{id}/application-form.pdf"), p + "/application-form.pdf",
            fake_path=f + "/application-form.pdf")
    # Reactivations: opening one for beeline's closed number, and its open one.
    # Who may not use a channel at all is refused before the line is looked up,
    # alike for every line.
    refused = (403, "insufficient_role")
    for channel, lacking in (("store", ("kcell holder", "kcell.phone", "kcell.office")),
                             ("mail", ("kcell holder", "kcell.phone", "kcell.store"))):
        body = reactivation_body(s, w.beeline_lines[0], channel)
        add(("POST", "/v1/reactivations"), "/v1/reactivations", body,
            fake_body={**body, "msisdn": fake_msisdn}, codes={a: refused for a in lacking})
    p, f = f"/v1/reactivations/{w.beeline_reactivation}", "/v1/reactivations/rea_" + "0" * 24
    add(("GET", "/v1/reactivations/{id}"), p, fake_path=f)
    add(("POST", "/v1/reactivations/{id}/approve"), p + "/approve", {},
        fake_path=f + "/approve", fake_body={})
    add(("POST", "/v1/reactivations/{id}/reject"), p + "/reject", {"reason": "probe"},
        fake_path=f + "/reject", fake_body={"reason": "probe"})
    for up in (w.beeline_mail_upload, w.beeline_free_upload):
        add(("GET", "/v1/uploads/{id}"), f"/v1/uploads/{up}",
            fake_path=f"/v1/uploads/{fake_upload}")
        add(("GET", "/v1/uploads/{id}/content"), f"/v1/uploads/{up}/content",
            fake_path=f"/v1/uploads/{fake_upload}/content")
    for username, sid in w.beeline_staff.items():
        add(("GET", "/v1/staff/{id}"), f"/v1/staff/{sid}", fake_path=f"/v1/staff/{fake_staff}")
        add(("POST", "/v1/staff/{id}/disable"), f"/v1/staff/{sid}/disable", {},
            fake_path=f"/v1/staff/{fake_staff}/disable", fake_body={})
        add(("POST", "/v1/staff/{id}/enable"), f"/v1/staff/{sid}/enable", {},
            fake_path=f"/v1/staff/{fake_staff}/enable", fake_body={})
        reset = {"password": "Tenancy-probe-2026!"}
        add(("POST", "/v1/staff/{id}/reset-password"), f"/v1/staff/{sid}/reset-password",
            reset, fake_path=f"/v1/staff/{fake_staff}/reset-password", fake_body=reset)
    holder_route_not_found = {"kcell holder": "route_not_found"}
    new_staff = {"username": "intruder.x", "full_name": "Intruder", "role": "agent_store"}
    add(("GET", "/v1/operators/{code}/staff"), "/v1/operators/beeline/staff",
        fake_path="/v1/operators/nosuchop/staff")
    add(("POST", "/v1/operators/{code}/staff"), "/v1/operators/beeline/staff", new_staff,
        fake_path="/v1/operators/nosuchop/staff", fake_body=new_staff)
    add(("GET", "/v1/operators/{code}"), "/v1/operators/beeline",
        fake_path="/v1/operators/nosuchop", codes=holder_route_not_found)
    policy = {"review_sla_hours": 1, "phone_confirmation_minutes": 5}
    add(("PUT", "/v1/operators/{code}/policy"), "/v1/operators/beeline/policy", policy,
        fake_path="/v1/operators/nosuchop/policy", fake_body=policy,
        codes=holder_route_not_found)
    day = "?from=2026-01-01&to=2026-01-02"
    add(("GET", "/v1/operators/{code}/audit-export"), "/v1/operators/beeline/audit-export" + day,
        fake_path="/v1/operators/nosuchop/audit-export" + day, codes=holder_route_not_found)
    activity = {"activity": [{"msisdn": w.beeline_lines[1], "last_paid_activity_at": "2026-01-01"}]}
    add(("POST", "/v1/operators/{code}/activity"), "/v1/operators/beeline/activity", activity,
        fake_path="/v1/operators/nosuchop/activity", fake_body=activity,
        codes=holder_route_not_found)
    bulk = {"reason_code": "contract_ended", "msisdns": [w.beeline_lines[1]]}
    add(("POST", "/v1/operators/{code}/bulk-terminations"),
        "/v1/operators/beeline/bulk-terminations", bulk,
        fake_path="/v1/operators/nosuchop/bulk-terminations", fake_body=bulk,
        codes=holder_route_not_found)
    add(("GET", "/v1/operators/{code}/bulk-terminations/{id}"),
        f"/v1/operators/beeline/bulk-terminations/{w.beeline_bulk}",
        fake_path=f"/v1/operators/nosuchop/bulk-terminations/{w.beeline_bulk}",
        codes=holder_route_not_found)
    add(("POST", "/v1/operators/{code}/api-keys"), "/v1/operators/beeline/api-keys",
        {"label": "intruder"}, fake_path="/v1/operators/nosuchop/api-keys",
        fake_body={"label": "intruder"})
    client = {"name": "Intruder Bank"}
    add(("POST", "/v1/operators/{code}/number-recycling-clients"),
        "/v1/operators/beeline/number-recycling-clients", client,
        fake_path="/v1/operators/nosuchop/number-recycling-clients", fake_body=client,
        codes=holder_route_not_found)
    hook = {"url": "http://127.0.0.1:9/billing"}
    add(("POST", "/v1/operators/{code}/webhooks"), "/v1/operators/beeline/webhooks", hook,
        fake_path="/v1/operators/nosuchop/webhooks", fake_body=hook, codes=holder_route_not_found)
    add(("GET", "/v1/operators/{code}/webhooks"), "/v1/operators/beeline/webhooks",
        fake_path="/v1/operators/nosuchop/webhooks", codes=holder_route_not_found)
    add(("DELETE", "/v1/operators/{code}/webhooks/{id}"), "/v1/operators/beeline/webhooks/1",
        fake_path="/v1/operators/nosuchop/webhooks/1", codes=holder_route_not_found)
    add(("GET", "/v1/operators/{code}/webhook-deliveries"),
        "/v1/operators/beeline/webhook-deliveries?state=dead",
        fake_path="/v1/operators/nosuchop/webhook-deliveries?state=dead",
        codes=holder_route_not_found)
    add(("POST", "/v1/operators/{code}/webhook-deliveries/{id}/retry"),
        "/v1/operators/beeline/webhook-deliveries/1/retry", {},
        fake_path="/v1/operators/nosuchop/webhook-deliveries/1/retry", fake_body={},
        codes=holder_route_not_found)
    cid = w.beeline_recycling_client
    add(("POST", "/v1/number-recycling-clients/{id}/revoke"),
        f"/v1/number-recycling-clients/{cid}/revoke", {},
        fake_path="/v1/number-recycling-clients/999999/revoke", fake_body={},
        codes=holder_route_not_found)
    add(("GET", "/v1/number-recycling-clients/{id}/checks"),
        f"/v1/number-recycling-clients/{cid}/checks",
        fake_path="/v1/number-recycling-clients/999999/checks", codes=holder_route_not_found)
    op = {"code": "intruder", "name": "Intruder"}
    add(("POST", "/v1/operators"), "/v1/operators", op, fake_body=op)
    # Beeline's background work: the jobs of its terminations and its SMS.
    beeline_terminations = {tid for (tid,) in s.db_query(
        "SELECT t.id FROM terminations t JOIN operators o ON o.id = t.operator_id "
        "WHERE o.code = 'beeline'")}
    beeline_jobs = [job for job, payload in s.db_query("SELECT id, payload FROM jobs ORDER BY id")
                    if (json.loads(payload) or {}).get("termination_id") in beeline_terminations]
    for job in beeline_jobs[:3]:
        add(("POST", "/v1/jobs/{id}/retry"), f"/v1/jobs/{job}/retry", {},
            fake_path="/v1/jobs/999999999/retry", fake_body={})
    for (sms,) in s.db_query(
            "SELECT m.id FROM sms_messages m JOIN operators o ON o.id = m.operator_id "
            "WHERE o.code = 'beeline' LIMIT 3"):
        add(("POST", "/v1/sms/{id}/retry"), f"/v1/sms/{sms}/retry", {},
            fake_path="/v1/sms/999999999/retry", fake_body={})
    return out


def test_route_table_classifies_every_route(world):
    """Every route of the router and of the OpenAPI document is in ROUTES, and
    ROUTES names no route that exists in neither (a stale entry)."""
    r = world.s.get("/v1/openapi.yaml")
    assert r.status == 200, r
    documented = openapi_routes(r.text)
    assert len(documented) >= 10, documented
    routed = router_routes()
    known = set(ROUTES_BY_SHAPE)
    unclassified = sorted(f"{m} {p} ({src})" for src, routes in
                          (("router", routed), ("openapi", documented))
                          for m, p in routes if (m, norm(p)) not in known)
    assert unclassified == [], (
        "routes the tenancy suite does not classify (add them to ROUTES in "
        f"test_tenancy.py): {unclassified}")
    present = {(m, norm(p)) for m, p in routed | documented}
    stale = sorted(f"{m} {p}" for m, p in ROUTES if (m, norm(p)) not in present)
    assert stale == [], f"ROUTES entries no longer served: {stale}"
    for route, (kind, why) in ROUTES.items():
        assert kind in (OWNED, ADMIN_ONLY, LIST, EXEMPT, PAGE) and why, route
        if kind == PAGE:
            # The /v1 route a page stands on is itself classified (and, when
            # OWNED, attacked by the test below).
            assert why in ROUTES and ROUTES[why][0] != PAGE, (route, why)


def test_every_kcell_credential_gets_404_for_every_beeline_object(world):
    s, w = world.s, world
    attacks = owned_attacks(w)
    covered = {a[0] for a in attacks}
    missing = sorted(f"{m} {p}" for (m, p), (kind, _) in ROUTES.items()
                     if kind in (OWNED, ADMIN_ONLY) and (m, p) not in covered)
    assert missing == [], f"OWNED/ADMIN_ONLY routes without an attack: {missing}"

    before = snapshot_all(s)
    failures = []
    for attacker in ATTACKERS:
        token = w.tokens[attacker]
        for route, method, path, body, fake_path, fake_body, codes in attacks:
            want = (codes or {}).get(attacker, ROUTES[route][1])
            status, code = want if isinstance(want, tuple) else (404, want)
            r = s.request(method, path, body=body, token=token)
            where = f"{attacker}: {method} {path}"
            if body is not None and route == ("POST", "/v1/terminations"):
                where += f" channel={body['channel']} msisdn={body['msisdn']}"
            if r.status != status or (r.json or {}).get("code") != code:
                failures.append(f"{where} -> {r.status} {r.text[:200]} (want {status} {code})")
                continue
            # The same request for an object that does not exist answers alike.
            f = s.request(method, fake_path, body=fake_body, token=token)
            asked = {seg for p in (path, fake_path) for seg in p.split("?")[0].split("/")
                     if len(seg) > 3}
            asked |= {b["msisdn"] for b in (body, fake_body) if b and "msisdn" in b}
            if problem_shape(r, asked) != problem_shape(f, asked):
                failures.append(f"{where} -> {r.text[:200]} but for a missing object "
                                f"{fake_path} -> {f.status} {f.text[:200]}")

        # A kcell upload can be attached, a beeline one cannot: it is not there.
        if attacker in ("kcell key", "kcell.office", "kcell.admin"):
            m = w.kcell_free_line
            body = create_bodies(s, m, w.beeline_free_upload)["mail"]
            for up in (w.beeline_free_upload, w.beeline_mail_upload):
                body["upload_ids"] = [up]
                r = s.post("/v1/terminations", body, token=token)
                if (r.status != 404 or (r.json or {}).get("code") != "upload_not_found"
                        or r.json.get("field") != "upload_ids[0]"):
                    failures.append(f"{attacker}: POST /v1/terminations mail {m} with "
                                    f"beeline's upload {up} -> {r.status} {r.text[:200]}")

        # Lists hold nothing of beeline.
        for path in ("/v1/terminations", "/v1/terminations?limit=200",
                     "/v1/terminations?state=in_review", "/v1/reviews?limit=200",
                     "/v1/operators", "/v1/dashboard", "/v1/number-recycling-clients",
                     "/v1/reactivations", "/v1/reactivations?state=pending_review",
                     f"/v1/reports/disconnections?since={today()}"):
            r = s.get(path, token=token)
            leaked = sorted(x for x in w.markers if x.lower() in r.text.lower())
            if r.status not in (200, 403, 404) or leaked:
                failures.append(f"{attacker}: GET {path} -> {r.status} {r.text[:300]} "
                                f"(names {leaked})")
            elif r.status != 200 and attacker != "kcell holder" and (
                    r.json or {}).get("code") != "insufficient_role":
                failures.append(f"{attacker}: GET {path} -> {r.status} {r.text[:200]}")
        # Own scope: staff/me is the caller's own kcell account.
        r = s.get("/v1/staff/me", token=token)
        if attacker.startswith("kcell."):
            ok = r.status == 200 and r.json["username"] == attacker and \
                r.json["operator"] == "kcell"
        else:
            ok = r.status == 404 and r.json["code"] == "staff_not_found"
        if not ok:
            failures.append(f"{attacker}: GET /v1/staff/me -> {r.status} {r.text[:200]}")

    after = snapshot_all(s)
    changed = sorted(t for t in before if before[t] != after[t])
    assert failures == [] and changed == [], (
        f"the attempts changed tables {changed}; {len(failures)} attempt(s) not refused "
        "as missing:\n" + "\n".join(failures))
    # The lists are not empty because the route answers nothing at all.
    r = s.get("/v1/terminations?limit=200", token=w.tokens["kcell key"])
    assert {w.kcell_proxy, w.kcell_phone} <= {t["id"] for t in r.json["items"]}, r
    r = s.get("/v1/reviews?limit=200", token=w.tokens["kcell.office"])
    assert w.kcell_proxy in {t["id"] for t in r.json["items"]}, r
    # And beeline still sees its own objects as they were.
    r = s.get(f"/v1/terminations/{w.terminations['proxy in review']}", token=s.keys["beeline"])
    assert r.status == 200 and r.json["state"] == "in_review", r


def test_own_operator_lacking_role_gets_403_other_operator_404(world):
    """The difference: 403 insufficient_role only for the caller's own operator."""
    s, w = world.s, world
    before = snapshot_all(s)
    phone = w.tokens["kcell.phone"]
    r = s.post(f"/v1/terminations/{w.kcell_proxy}/approve", {}, token=phone)
    assert r.status == 403 and r.json["code"] == "insufficient_role", r
    r = s.post(f"/v1/terminations/{w.terminations['proxy in review']}/approve", {}, token=phone)
    assert r.status == 404 and r.json["code"] == "termination_not_found", r
    store = w.tokens["kcell.store"]
    r = s.get("/v1/operators/kcell/staff", token=store)
    assert r.status == 403 and r.json["code"] == "insufficient_role", r
    r = s.get("/v1/operators/beeline/staff", token=store)
    assert r.status == 404 and r.json["code"] == "operator_not_found", r
    assert snapshot_all(s) == before


def test_confirm_code_answers_alike_for_any_operators_request(world):
    """POST /v1/terminations/{id}/confirm needs no credential: the code is the
    proof. A wrong code on beeline's request tells a kcell caller no more than
    on a kcell request. (Runs after the snapshot test: a wrong code counts an
    attempt, by design.)"""
    s, w = world.s, world
    answers = {}
    for label, tid, msisdn in (
            ("beeline", w.terminations["phone pending"], w.beeline_pending_phone_msisdn),
            ("kcell", w.kcell_phone, w.kcell_phone_msisdn)):
        wrong = f"{(int(confirmation_code(s, msisdn)) + 1) % 1000000:06d}"
        r = s.post(f"/v1/terminations/{tid}/confirm", {"code": wrong},
                   token=w.tokens["kcell.phone"])
        answers[label] = (r.status, (r.json or {}).get("code"), (r.json or {}).get("title"))
    assert answers["beeline"] == answers["kcell"], answers
    assert answers["kcell"][:2] == (401, "invalid_code"), answers
    r = s.get(f"/v1/terminations/{w.terminations['phone pending']}", token=s.keys["beeline"])
    assert r.json["state"] == "submitted", r
