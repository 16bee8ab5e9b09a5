"""End-to-end journeys over real HTTP against a real osmo-hlr.

Demo lines (see src/simexit/app/demo.cpp), per operator, line n:
  n % 4 == 0: main 2500.00 + bonus 300.00   (refund)
  n % 4 == 1: main 45.50                    (below Kcell's 100.00 minimum refund)
  n % 4 == 2: bonus 1000.00 only
  n % 4 == 3: main 200.00, charges 1200.00  (debt)
Kcell: no termination fee, 180 days quarantine.
"""

import datetime
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]

IBAN = "KZ86125KZT5004100100"  # valid KZ IBAN (ISO 13616 check digits 86)


def header(response, name):
    for k, v in response.headers.items():
        if k.lower() == name.lower():
            return v
    return None


def tomorrow():
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)).isoformat()


def wait_for(predicate, what, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def wait_certificate(s, termination_id, token, timeout=30):
    def ready():
        r = s.get(f"/v1/terminations/{termination_id}", token=token)
        assert r.status == 200, r
        return r.json if r.json["certificate"] else None

    return wait_for(ready, f"the certificate of {termination_id}", timeout)


def line_id(s, msisdn):
    return s.db_query("SELECT id FROM lines WHERE msisdn = ?", msisdn)[0][0]


def ledger_total(s):
    return s.db_query("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries")[0][0]


def line_account_balances(s, msisdn):
    rows = s.db_query(
        "SELECT account, SUM(amount) FROM ledger_entries WHERE account LIKE ? GROUP BY account",
        f"line:{line_id(s, msisdn)}:%",
    )
    return dict(rows)


def postings_of(s, termination_id, kind):
    return s.db_query(
        "SELECT id FROM postings WHERE termination_id = ? AND kind = ?", termination_id, kind
    )


def store(s, msisdn, **extra):
    """A store request for `msisdn`: the agent has checked the holder's own
    document at the counter (a store request needs it)."""
    return {"msisdn": msisdn, "channel": "store", "document": s.holder_document(msisdn), **extra}


def state_path(events):
    """The sequence of states a termination went through, from its events."""
    transitions = [e for e in events if "to" in e]
    return [transitions[0]["from"]] + [e["to"] for e in transitions]


# --------------------------------------------------------------------------- 1


def test_online_journey_end_to_end(simexit, hlr, tmp_path):
    s = simexit
    msisdn = s.demo_line("kcell", 0)
    bystander = s.demo_line("kcell", 4)
    imsi, bystander_imsi = s.imsi_of(msisdn), s.imsi_of(bystander)
    assert hlr.info(imsi) is not None, "demo must provision the line in the HLR"
    assert hlr.info(bystander_imsi) is not None

    token = s.sign_in(msisdn)

    r = s.get(f"/v1/lines/{msisdn}", token=token)
    assert r.status == 200, r
    assert r.json["msisdn"] == msisdn
    assert r.json["status"] == "active"
    assert r.json["operator"]["code"] == "kcell"
    assert r.json["balances"] == {
        "main": "2500.00",
        "bonus": "300.00",
        "outstanding_charges": "0.00",
        "currency": "KZT",
    }
    assert r.json["open_termination"] is None

    r = s.get(f"/v1/lines/{msisdn}/termination-quote", token=token)
    assert r.status == 200, r
    q = r.json
    assert q["msisdn"] == msisdn and q["operator"] == "kcell"
    assert q["outstanding_charges"] == "0.00"
    assert q["fee"] == "0.00"
    assert q["main_balance"] == "2500.00"
    assert q["bonus_balance"] == "300.00"
    assert q["applied_from_balance"] == "0.00"
    assert q["amount_due"] == "0.00"
    assert q["refund"] == "2500.00"
    assert q["forfeited_main"] == "0.00"
    assert q["forfeited_bonus"] == "300.00"
    assert q["refund_below_minimum"] is False
    assert "iban" in q["refund_methods"]

    body = {"msisdn": msisdn, "refund": {"method": "iban", "destination": IBAN}}
    idem = {"Idempotency-Key": "journey-0001"}
    r = s.post("/v1/terminations", body, token=token, headers=idem)
    assert r.status == 201, r
    tid = r.json["id"]
    assert tid.startswith("trm_")
    assert header(r, "Location") == f"/v1/terminations/{tid}"
    assert header(r, "Idempotent-Replayed") is None
    assert r.json["refund"] == {"method": "iban", "destination": IBAN}
    assert r.json["channel"] == "online"

    s.wait_state(tid, token, {"terminated"}, timeout=30)
    detail = wait_certificate(s, tid, token)
    serial = detail["certificate"]["serial"]
    assert re.fullmatch(r"SX-[0-9A-HJKMNP-TV-Z]{25}[048CGMRW]", serial), serial
    assert detail["certificate"]["href"] == f"/v1/terminations/{tid}/certificate"
    assert detail["settlement"]["refund"] == "2500.00"
    assert detail["settlement"]["forfeited_bonus"] == "300.00"
    assert detail["cancellable"] is False

    # The HLR: this subscriber is gone, the neighbour is untouched.
    assert hlr.info(imsi) is None
    assert hlr.info(bystander_imsi) is not None

    # The ledger: balanced overall, the line's accounts at zero, the refund owed.
    assert ledger_total(s) == 0
    balances = line_account_balances(s, msisdn)
    assert balances, "the line has ledger accounts (opening balances)"
    assert all(v == 0 for v in balances.values()), balances
    assert len(postings_of(s, tid, "settlement")) == 1
    op_id = s.db_query("SELECT operator_id FROM lines WHERE msisdn = ?", msisdn)[0][0]
    refund = s.db_query(
        "SELECT SUM(e.amount) FROM ledger_entries e JOIN postings p ON p.id = e.posting_id "
        "WHERE p.termination_id = ? AND e.account = ?",
        tid,
        f"operator:{op_id}:refunds_payable",
    )[0][0]
    assert refund == -250000  # 2500.00 KZT in tiyn, credited to refunds payable
    assert s.db_query(
        "SELECT main_balance, bonus_balance, outstanding_charges FROM lines WHERE msisdn = ?", msisdn
    ) == [(0, 0, 0)]

    # The certificate: verifies offline with the published key, fails when altered.
    r = s.get(f"/v1/terminations/{tid}/certificate", token=token)
    assert r.status == 200, r
    document = r.text
    assert r.json["certificate"]["msisdn"] == msisdn
    assert r.json["certificate"]["serial"] == serial
    assert serial in (header(r, "Content-Disposition") or "")
    key = s.get("/v1/certificates/public-key").json["public_key_hex"]
    good = tmp_path / "cert.json"
    good.write_text(document)
    ok = s.cli("certificate", "verify", str(good), "--public-key", key, check=False)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("OK")
    # One byte changed inside the signed body (the last digit of the MSISDN).
    altered_msisdn = msisdn[:-1] + ("0" if msisdn[-1] != "0" else "1")
    assert document.count(msisdn) == 1
    bad = tmp_path / "cert-altered.json"
    bad.write_text(document.replace(msisdn, altered_msisdn))
    assert len(bad.read_text()) == len(document)
    nok = s.cli("certificate", "verify", str(bad), "--public-key", key, check=False)
    assert nok.returncode == 1, nok.stdout
    assert "INVALID" in nok.stderr
    # ... and one byte of the signature flipped.
    value = r.json["signature"]["value"]
    flipped = ("B" if value[5] != "B" else "C")
    bad_sig = tmp_path / "cert-bad-signature.json"
    bad_sig.write_text(document.replace(value, value[:5] + flipped + value[6:]))
    nok = s.cli("certificate", "verify", str(bad_sig), "--public-key", key, check=False)
    assert nok.returncode == 1, nok.stdout

    # No identity document number leaks into the certificate.
    doc_number = s.db_query(
        "SELECT h.document_number FROM holders h JOIN lines l ON l.holder_id = h.id "
        "WHERE l.msisdn = ?",
        msisdn,
    )[0][0]
    assert doc_number and doc_number not in document

    # The holder's SMS: received, then terminated with the serial.
    def notices():
        kinds = [m["kind"] for m in s.sms(msisdn)]
        return kinds if "terminated" in kinds else None

    kinds = wait_for(notices, "the 'terminated' SMS")
    assert "termination_received" in kinds
    assert kinds.index("termination_received") < kinds.index("terminated")
    terminated_sms = [m for m in s.sms(msisdn) if m["kind"] == "terminated"]
    assert len(terminated_sms) == 1
    assert serial in terminated_sms[0]["text"]
    assert s.sms(bystander) == []

    # The line: quarantined until a date.
    r = s.get(f"/v1/lines/{msisdn}", token=token)
    assert r.status == 200, r
    assert r.json["status"] == "quarantined"
    assert r.json["quarantine_until"]
    assert r.json["open_termination"] is None

    # Replaying the same request returns the same termination, marked as a replay.
    r = s.post("/v1/terminations", body, token=token, headers=idem)
    assert r.status == 201, r
    assert r.json["id"] == tid
    assert header(r, "Idempotent-Replayed") == "true"
    assert s.db_query("SELECT COUNT(*) FROM terminations")[0][0] == 1

    # The audit trail.
    r = s.get(f"/v1/terminations/{tid}", token=token)
    assert state_path(r.json["events"]) == [
        "submitted",
        "verified",
        "approved",
        "settling",
        "deprovisioning",
        "terminated",
    ]
    names = [e["event"] for e in r.json["events"]]
    for action in ("created", "settled", "hlr_removed", "certificate_issued"):
        assert names.count(action) == 1, names


# --------------------------------------------------------------------------- 2


def test_scheduled_then_cancelled_leaves_the_line_alone(simexit_no_worker, hlr):
    s = simexit_no_worker
    msisdn = s.demo_line("kcell", 1)
    imsi = s.imsi_of(msisdn)
    token = s.sign_in(msisdn)

    r = s.post("/v1/terminations", {"msisdn": msisdn, "scheduled_for": tomorrow()}, token=token)
    assert r.status == 201, r
    tid = r.json["id"]
    assert r.json["state"] == "scheduled"
    assert r.json["scheduled_for"].startswith(tomorrow())
    assert r.json["cancellable"] is True

    r = s.post(f"/v1/terminations/{tid}/cancel", {"reason": "changed my mind"}, token=token)
    assert r.status == 200, r
    assert r.json["state"] == "cancelled"

    # Even with the start job made due, the worker must not touch the line.
    s.db_query("UPDATE jobs SET run_at = 0 WHERE kind = 'start_termination'")
    done = s.worker()
    assert done.returncode == 0, done.stderr

    r = s.get(f"/v1/terminations/{tid}", token=token)
    assert r.json["state"] == "cancelled"
    info = hlr.info(imsi)
    assert info is not None
    assert info.get("nam_cs") == "1" and info.get("nam_ps") == "1", info
    assert s.db_query("SELECT COUNT(*) FROM postings WHERE termination_id = ?", tid)[0][0] == 0
    r = s.get(f"/v1/lines/{msisdn}", token=token)
    assert r.json["status"] == "active"
    assert r.json["balances"]["main"] == "45.50"
    assert r.json["open_termination"] is None
    kinds = [m["kind"] for m in s.sms(msisdn)]
    assert "termination_cancelled" in kinds
    assert "terminated" not in kinds

    r = s.post(f"/v1/terminations/{tid}/cancel", {}, token=token)
    assert r.status == 409, r
    assert r.json["code"] == "illegal_transition"


# --------------------------------------------------------------------------- 3


def test_operator_store_termination_with_debt(simexit, hlr):
    s = simexit
    key = s.keys["kcell"]
    msisdn = s.demo_line("kcell", 3)
    imsi = s.imsi_of(msisdn)
    assert hlr.info(imsi) is not None

    r = s.post("/v1/terminations", store(s, msisdn), token=key)
    assert r.status == 201, r
    tid = r.json["id"]
    assert r.json["channel"] == "store"

    t = s.wait_state(tid, key, {"awaiting_payment"}, timeout=30)
    assert t["settlement"]["amount_due"] == "1000.00"
    assert t["settlement"]["applied_from_balance"] == "200.00"
    assert hlr.info(imsi) is not None, "nothing is deprovisioned before the debt is paid"

    r = s.post(f"/v1/terminations/{tid}/payments", {"amount": "999.99"}, token=key)
    assert r.status == 400, r
    assert r.json["code"] == "wrong_amount"
    assert s.get(f"/v1/terminations/{tid}", token=key).json["state"] == "awaiting_payment"

    r = s.post(f"/v1/terminations/{tid}/payments", {"amount": "1000.00"}, token=key)
    assert r.status == 200, r

    s.wait_state(tid, key, {"terminated"}, timeout=30)
    wait_certificate(s, tid, key)
    assert hlr.info(imsi) is None
    assert ledger_total(s) == 0
    balances = line_account_balances(s, msisdn)
    assert balances and all(v == 0 for v in balances.values()), balances
    assert len(postings_of(s, tid, "settlement")) == 1
    assert len(postings_of(s, tid, "payment")) == 1

    # Paying again is refused: the termination is no longer waiting for money.
    r = s.post(f"/v1/terminations/{tid}/payments", {"amount": "1000.00"}, token=key)
    assert r.status == 409, r
    assert r.json["code"] == "illegal_transition"
    assert len(postings_of(s, tid, "payment")) == 1


# --------------------------------------------------------------------------- 4


def test_tenancy_boundaries(simexit_no_worker):
    s = simexit_no_worker
    kcell_line = s.demo_line("kcell", 2)
    other_kcell_line = s.demo_line("kcell", 5)
    r = s.post("/v1/terminations", store(s, kcell_line, scheduled_for=tomorrow()),
               token=s.keys["kcell"])
    assert r.status == 201, r
    tid = r.json["id"]

    beeline = s.keys["beeline"]
    for path, reason in [
        (f"/v1/lines/{kcell_line}", "line_not_found"),
        (f"/v1/lines/{kcell_line}/termination-quote", "line_not_found"),
        (f"/v1/terminations/{tid}", "termination_not_found"),
        (f"/v1/terminations/{tid}/certificate", "termination_not_found"),
    ]:
        r = s.get(path, token=beeline)
        assert r.status == 404, (path, r)
        assert r.json["code"] == reason, (path, r)
    r = s.post(f"/v1/terminations/{tid}/cancel", {}, token=beeline)
    assert r.status == 404 and r.json["code"] == "termination_not_found", r
    # Even with the holder's document in hand, Beeline cannot open it.
    r = s.post("/v1/terminations", store(s, kcell_line), token=beeline)
    assert r.status == 404 and r.json["code"] == "line_not_found", r
    r = s.get("/v1/terminations", token=beeline)
    assert r.status == 200 and r.json["items"] == [], r
    # The owner still sees it, unchanged.
    r = s.get(f"/v1/terminations/{tid}", token=s.keys["kcell"])
    assert r.status == 200 and r.json["state"] == "scheduled", r

    # A holder signed in for one line cannot see another line of the same operator.
    holder = s.sign_in(other_kcell_line)
    assert s.get(f"/v1/lines/{other_kcell_line}", token=holder).status == 200
    for path, reason in [
        (f"/v1/lines/{kcell_line}", "line_not_found"),
        (f"/v1/lines/{kcell_line}/termination-quote", "line_not_found"),
        (f"/v1/terminations/{tid}", "termination_not_found"),
    ]:
        r = s.get(path, token=holder)
        assert r.status == 404, (path, r)
        assert r.json["code"] == reason, (path, r)
    r = s.post(f"/v1/terminations/{tid}/cancel", {}, token=holder)
    assert r.status == 404 and r.json["code"] == "termination_not_found", r
    r = s.post("/v1/terminations", {"msisdn": kcell_line}, token=holder)
    assert r.status == 404 and r.json["code"] == "line_not_found", r
    r = s.get("/v1/terminations", token=holder)
    assert r.status == 200 and r.json["items"] == [], r
    assert s.get(f"/v1/terminations/{tid}", token=s.keys["kcell"]).json["state"] == "scheduled"


# --------------------------------------------------------------------------- 5


def test_openapi_document_covers_every_route(simexit):
    r = simexit.get("/v1/openapi.yaml")
    assert r.status == 200, r
    assert r.text.startswith("openapi:")
    spec = yaml.safe_load(r.text)
    routes = re.findall(
        r'router\.Add\(\s*"([A-Z]+)",\s*"([^"]+)"',
        (ROOT / "src" / "simexit" / "api" / "routes.cpp").read_text(),
    )
    # "/" is the HTML landing page, not part of the API the document describes.
    routes = [(m, p) for m, p in routes if p.startswith("/v1/")]
    assert len(routes) >= 10, routes
    missing = [
        f"{method} {path}"
        for method, path in routes
        if path not in spec["paths"] or method.lower() not in spec["paths"][path]
    ]
    assert missing == [], f"routes missing from the OpenAPI document: {missing}"


# --------------------------------------------------------------------------- 6


def test_sigterm_shuts_down_cleanly(simexit):
    s = simexit
    # Give the worker something to do while it is asked to stop.
    for n in (0, 4, 8):
        r = s.post(
            "/v1/terminations",
            store(s, s.demo_line("kcell", n), refund={"method": "iban", "destination": IBAN}),
            token=s.keys["kcell"],
        )
        assert r.status == 201, r
    started = time.time()
    s.proc.send_signal(signal.SIGTERM)
    try:
        code = s.proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        pytest.fail("simexit serve did not stop within 5 s of SIGTERM")
    assert code == 0, (s.dir / "serve.log").read_text()[-2000:]
    assert time.time() - started < 5
    out = s.cli("jobs", "list", "--state", "running").stdout
    rows = [l for l in out.splitlines()[1:] if l.strip()]
    assert rows == [], out
    log = (s.dir / "serve.log").read_text()
    assert "stopped" in log


# --------------------------------------------------------------------------- 7


def test_number_released_only_after_quarantine(simexit_no_worker, hlr):
    s = simexit_no_worker
    key = s.keys["kcell"]
    msisdn = s.demo_line("kcell", 2)  # bonus only: nothing to refund, nothing due
    r = s.post("/v1/terminations", store(s, msisdn), token=key)
    assert r.status == 201, r
    tid = r.json["id"]
    assert s.worker().returncode == 0
    assert s.get(f"/v1/terminations/{tid}", token=key).json["state"] == "terminated"
    until = s.db_query("SELECT quarantine_until FROM lines WHERE msisdn = ?", msisdn)[0][0]
    assert until > time.time() + 179 * 86400  # Kcell: 180 days
    assert s.db_query("SELECT run_at FROM jobs WHERE kind = 'release_number'") == [(until,)]

    # Run early, the release refuses and stays queued (not dead).
    s.db_query("UPDATE jobs SET run_at = 0 WHERE kind = 'release_number'")
    assert s.worker().returncode == 0
    job = s.db_query("SELECT state, last_error FROM jobs WHERE kind = 'release_number'")[0]
    assert job[0] == "pending" and "quarantine_not_over" in job[1], job
    assert s.get(f"/v1/lines/{msisdn}", token=key).json["status"] == "quarantined"

    # Once the quarantine is over, the number goes back to the operator's pool.
    s.db_query("UPDATE lines SET quarantine_until = 1 WHERE msisdn = ?", msisdn)
    s.db_query("UPDATE jobs SET run_at = 0 WHERE kind = 'release_number'")
    assert s.worker().returncode == 0
    assert s.db_query("SELECT state FROM jobs WHERE kind = 'release_number'") == [("done",)]
    assert s.db_query("SELECT status, holder_id FROM lines WHERE msisdn = ?", msisdn) == [
        ("available", None)
    ]
    events = [e["event"] for e in s.get(f"/v1/terminations/{tid}", token=key).json["events"]]
    assert events.count("number_released") == 1, events
    assert s.get(f"/v1/lines/{msisdn}", token=key).json["status"] == "available"
    # A number nobody holds cannot be closed again (not even with the former
    # holder's document).
    r = s.post("/v1/terminations", store(s, msisdn), token=key)
    assert r.status == 409 and r.json["code"] == "line_not_active", r


# --------------------------------------------------------------------------- 8


def test_cancel_while_awaiting_payment_restores_the_line(simexit, hlr):
    s = simexit
    key = s.keys["kcell"]
    msisdn = s.demo_line("kcell", 7)  # main 200.00, charges 1200.00
    imsi = s.imsi_of(msisdn)
    opening = line_account_balances(s, msisdn)
    r = s.post("/v1/terminations", store(s, msisdn), token=key)
    assert r.status == 201, r
    tid = r.json["id"]
    s.wait_state(tid, key, {"awaiting_payment"})
    assert line_account_balances(s, msisdn) != opening  # the settlement was posted

    r = s.post(f"/v1/terminations/{tid}/cancel", {"reason": "customer left"}, token=key)
    assert r.status == 200, r
    assert r.json["state"] == "cancelled"

    line = s.get(f"/v1/lines/{msisdn}", token=key).json
    assert line["status"] == "active"
    assert line["balances"]["main"] == "200.00"
    assert line["balances"]["outstanding_charges"] == "1200.00"
    assert line_account_balances(s, msisdn) == opening
    assert ledger_total(s) == 0
    info = hlr.info(imsi)
    assert info is not None and info.get("nam_cs") == "1", info
    r = s.post(f"/v1/terminations/{tid}/payments", {"amount": "1000.00"}, token=key)
    assert r.status == 409 and r.json["code"] == "illegal_transition", r

    # The line can be closed afresh, and is quoted exactly as before.
    r = s.post("/v1/terminations", store(s, msisdn), token=key)
    assert r.status == 201, r
    again = s.wait_state(r.json["id"], key, {"awaiting_payment"})
    assert again["settlement"]["amount_due"] == "1000.00"
    assert ledger_total(s) == 0


# --------------------------------------------------------------------------- 9


def test_concurrent_retries_with_one_idempotency_key_create_one_termination(simexit_no_worker):
    import concurrent.futures

    s = simexit_no_worker
    key = s.keys["kcell"]
    body = store(s, s.demo_line("kcell", 6))
    headers = {"Idempotency-Key": "retry-storm"}
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(
            pool.map(lambda _: s.post("/v1/terminations", body, token=key, headers=headers), range(8))
        )
    assert all(r.status == 201 for r in results), results
    assert len({r.json["id"] for r in results}) == 1
    assert sum(header(r, "Idempotent-Replayed") is None for r in results) == 1
    assert s.db_query("SELECT COUNT(*) FROM terminations")[0][0] == 1
    # The same key with another body is refused, not replayed.
    r = s.post("/v1/terminations", {**body, "reason": "other"}, token=key, headers=headers)
    assert r.status == 409 and r.json["code"] == "idempotency_key_reused", r
