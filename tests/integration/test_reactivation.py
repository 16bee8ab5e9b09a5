"""Reactivation over real HTTP against a real osmo-hlr (docs/reactivation.md): a
closed number that rests in quarantine is given back to its former holder, at a
store (document at the counter) or by a posted application that a second person
approves; the line is provisioned again in the HLR, on a new SIM for a physical
line or the old one for an eSIM; nothing of the settlement comes back; every
step is audited. After the window, or once the number is released, the answer
is a clear refusal, and every refusal changes nothing.

Kcell demo lines used here (`simexit demo`, see test_journey.py): n % 4 == 0
refund due, 2 bonus only, 3 an eSIM in debt.
"""

import json
import signal
import time

import pytest

import osmo_ctrl
from channel_helpers import REQUEST_TABLES

IBAN = "KZ86125KZT5004100100"  # valid KZ IBAN (ISO 13616 check digits 86)
REACTIVATION_TABLES = REQUEST_TABLES + ("reactivations", "reactivation_events")


def luhn(body):
    total = 0
    for i, c in enumerate(reversed(body)):
        n = int(c) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return body + str((10 - total % 10) % 10)


def new_sim(n):
    """A SIM no demo line has (demo IMSIs are 00101 + 10 digits)."""
    return {"iccid": luhn(f"89770199990000{n:04d}0"), "imsi": f"25099900000{n:04d}"}


@pytest.fixture
def hlr_cleanup(hlr):
    """IMSIs this test may give a demo number in osmo-hlr, deleted afterwards:
    the next test's `simexit demo` provisions that number on its own IMSI, and
    osmo-hlr holds each MSISDN once."""
    imsis = []
    yield imsis
    with osmo_ctrl.HlrCtrl() as ctrl:
        for imsi in imsis:
            ctrl.delete(imsi, missing_ok=True)


def close(s, msisdn, token, refund=None):
    """Closes `msisdn` at a store and runs the workflow to the end: the line
    rests in quarantine, its subscriber gone from the HLR. A refund destination
    is given when the demo line is owed one (or `refund` says so)."""
    body = {"msisdn": msisdn, "channel": "store", "document": s.holder_document(msisdn)}
    if refund if refund is not None else s.lines[msisdn]["main"] == "2500.00":
        body["refund"] = {"method": "iban", "destination": IBAN}
    r = s.post("/v1/terminations", body, token=token)
    assert r.status == 201, r
    tid = r.json["id"]
    assert s.worker().returncode == 0
    t = s.get(f"/v1/terminations/{tid}", token=token).json
    if t["state"] == "awaiting_payment":
        r = s.post(f"/v1/terminations/{tid}/payments",
                   {"amount": t["settlement"]["amount_due"]}, token=token)
        assert r.status == 200, r
        assert s.worker().returncode == 0
    t = s.get(f"/v1/terminations/{tid}", token=token).json
    assert t["state"] == "terminated", t
    assert s.get(f"/v1/lines/{msisdn}", token=token).json["status"] == "quarantined"
    return tid


def store_body(s, msisdn, sim=None, **changes):
    body = {"msisdn": msisdn, "channel": "store", "document": s.holder_document(msisdn)}
    if sim:
        body.update(sim)
    body.update(changes)
    return body


def mail_body(s, msisdn, sim=None):
    return store_body(s, msisdn, sim, channel="mail",
                      postmarked_on=time.strftime("%Y-%m-%d", time.gmtime()))


def problem(r, status, code, field=None):
    assert r.status == status and (r.json or {}).get("code") == code, r
    if field is not None:
        assert r.json.get("field") == field, r


def audit_actions(s, msisdn):
    return [a for (a,) in s.db_query(
        "SELECT action FROM audit_log WHERE subject = ? ORDER BY id", msisdn)]


def test_store_agent_gives_a_physical_line_back_on_a_new_sim(simexit_no_worker, hlr,
                                                            hlr_cleanup):
    s = simexit_no_worker
    agent = s.staff_token("kcell.store")
    msisdn = s.demo_line("kcell", 0)  # physical, 2500.00 + bonus 300.00: a refund was paid
    old_imsi = s.imsi_of(msisdn)
    tid = close(s, msisdn, agent)
    assert hlr.info(old_imsi) is None
    postings = s.db_query("SELECT id, kind FROM postings WHERE termination_id = ?", tid)
    assert postings, "the closure settled the refund"
    balances = s.get(f"/v1/lines/{msisdn}", token=agent).json["balances"]

    # The physical SIM went with the closure: a new one is needed.
    before = s.snapshot(*REACTIVATION_TABLES)
    problem(s.post("/v1/reactivations", store_body(s, msisdn), token=agent),
            400, "sim_required", "iccid")
    sim = new_sim(1)
    hlr_cleanup.append(sim["imsi"])
    problem(s.post("/v1/reactivations", store_body(s, msisdn, {"iccid": sim["iccid"]}),
                   token=agent), 400, "sim_required", "imsi")
    # Another person's document.
    wrong = store_body(s, msisdn, sim, document=s.holder_document(msisdn, full_name="IVANOVA OLGA"))
    problem(s.post("/v1/reactivations", wrong, token=agent), 400, "document_mismatch", "document")
    assert s.snapshot(*REACTIVATION_TABLES) == before
    assert "document_mismatch" in audit_actions(s, msisdn)

    r = s.post("/v1/reactivations", store_body(s, msisdn, sim), token=agent)
    assert r.status == 201, r
    rea = r.json
    assert rea["state"] == "provisioning" and rea["channel"] == "store", rea
    assert rea["termination_id"] == tid and rea["sim"]["new"] is True
    assert rea["sim"]["iccid"].endswith(sim["iccid"][-4:]) and sim["iccid"] not in r.text
    assert sim["imsi"] not in r.text
    assert r.headers["Location"] == f"/v1/reactivations/{rea['id']}"
    assert hlr.info(sim["imsi"]) is None, "the worker provisions it"

    assert s.worker().returncode == 0
    detail = s.get(f"/v1/reactivations/{rea['id']}", token=agent).json
    assert detail["state"] == "reactivated", detail
    assert [e["event"] for e in detail["events"]] == [
        "created", "approve", "start_provisioning", "hlr_provisioned", "complete"]
    assert detail["deadline"] > detail["closed_at"]
    # The HLR has the number again, on the new SIM.
    info = hlr.info(sim["imsi"])
    assert info is not None and info.get("msisdn") == msisdn.lstrip("+"), info
    assert hlr.info(old_imsi) is None
    line = s.get(f"/v1/lines/{msisdn}", token=agent).json
    assert line["status"] == "active" and line["iccid"] == sim["iccid"], line
    assert line["quarantine_until"] is None
    assert line["holder"]["full_name"] == s.lines[msisdn]["holder"]
    # The holder is told on the SIM that carries the number again, once.
    told = s.db_query("SELECT text FROM sms_messages WHERE kind = 'line_reactivated' "
                      "AND recipient = ?", msisdn)
    assert len(told) == 1 and rea["id"] in told[0][0] and msisdn in told[0][0], told
    # Nothing of the settlement comes back.
    assert line["balances"] == balances
    assert s.db_query("SELECT id, kind FROM postings WHERE termination_id = ?", tid) == postings
    assert s.get(f"/v1/terminations/{tid}", token=agent).json["state"] == "terminated"
    # The closure's release no longer waits.
    assert s.db_query("SELECT count(*) FROM jobs WHERE kind = 'release_number' "
                      "AND state = 'pending'") == [(0,)]
    # Audited like a termination: every step, with who did it.
    actions = audit_actions(s, msisdn)
    for action in ("reactivation_created", "reactivation_approve",
                   "reactivation_start_provisioning", "reactivation_hlr_provisioned",
                   "reactivation_complete"):
        assert action in actions, actions
    # Every change is an event for billing and CRM, in order.
    rows = s.db_query("SELECT data FROM event_outbox WHERE type = ? AND subject = ? ORDER BY id",
                      "kz.simexit.reactivation.state_changed", rea["id"])
    assert [(json.loads(d)["event"], json.loads(d)["to_state"]) for (d,) in rows] == [
        ("created", "requested"), ("approve", "approved"),
        ("start_provisioning", "provisioning"), ("complete", "reactivated")], rows
    # And the line can be closed again, like any active line.
    close(s, msisdn, agent, refund=False)
    assert hlr.info(sim["imsi"]) is None


def test_an_esim_downloads_its_old_profile_again(simexit_no_worker, hlr):
    s = simexit_no_worker
    agent = s.staff_token("kcell.store")
    msisdn = s.demo_line("kcell", 3)  # eSIM in debt: paid at the counter
    imsi = s.imsi_of(msisdn)
    iccid = s.lines[msisdn]["iccid"]
    close(s, msisdn, agent)
    assert hlr.info(imsi) is None
    r = s.post("/v1/reactivations", store_body(s, msisdn), token=agent)
    assert r.status == 201, r
    assert r.json["sim"]["new"] is False, r
    assert s.worker().returncode == 0
    assert s.get(f"/v1/reactivations/{r.json['id']}", token=agent).json["state"] == "reactivated"
    info = hlr.info(imsi)
    assert info is not None and info.get("msisdn") == msisdn.lstrip("+"), info
    line = s.get(f"/v1/lines/{msisdn}", token=agent).json
    assert line["status"] == "active" and line["iccid"] == iccid and line["kind"] == "esim", line


def test_a_posted_application_is_decided_by_a_second_person(simexit_no_worker, hlr,
                                                           hlr_cleanup):
    s = simexit_no_worker
    office, admin = s.staff_token("kcell.office"), s.staff_token("kcell.admin")
    msisdn = s.demo_line("kcell", 2)  # physical, bonus only
    close(s, msisdn, s.staff_token("kcell.store"))
    sim = new_sim(2)
    hlr_cleanup.append(sim["imsi"])
    # A store agent does not register posted applications; nor does a call-centre one.
    for token in (s.staff_token("kcell.store"), s.staff_token("kcell.phone")):
        problem(s.post("/v1/reactivations", mail_body(s, msisdn, sim), token=token),
                403, "insufficient_role")
    no_postmark = mail_body(s, msisdn, sim)
    del no_postmark["postmarked_on"]
    problem(s.post("/v1/reactivations", no_postmark, token=office), 400, "postmark_required",
            "postmarked_on")
    r = s.post("/v1/reactivations", mail_body(s, msisdn, sim), token=office,
               headers={"Idempotency-Key": "mail-1"})
    assert r.status == 201 and r.json["state"] == "pending_review", r
    rid = r.json["id"]
    again = s.post("/v1/reactivations", mail_body(s, msisdn, sim), token=office,
                   headers={"Idempotency-Key": "mail-1"})
    assert again.status == 201 and again.json["id"] == rid, again
    assert again.headers.get("Idempotent-Replayed") == "true"
    # Only one open reactivation per number.
    problem(s.post("/v1/reactivations", store_body(s, msisdn, sim), token=admin),
            409, "reactivation_exists")
    assert s.worker().returncode == 0
    assert s.get(f"/v1/lines/{msisdn}", token=office).json["status"] == "quarantined"
    listed = s.get("/v1/reactivations?state=pending_review", token=office).json["items"]
    assert [x["id"] for x in listed] == [rid], listed

    before = s.snapshot(*REACTIVATION_TABLES)
    problem(s.post(f"/v1/reactivations/{rid}/approve", {}, token=office),
            409, "review_own_request")
    problem(s.post(f"/v1/reactivations/{rid}/approve", {}, token=s.staff_token("kcell.store")),
            403, "insufficient_role")
    problem(s.post(f"/v1/reactivations/{rid}/approve", {}, token=s.staff_token("beeline.office")),
            404, "reactivation_not_found")
    assert s.snapshot(*REACTIVATION_TABLES) == before

    r = s.post(f"/v1/reactivations/{rid}/approve", {}, token=admin)
    assert r.status == 200 and r.json["state"] == "provisioning", r
    assert r.json["reviewed_by"].startswith("staff:") and r.json["reviewed_by"] != \
        r.json["requested_by"]
    problem(s.post(f"/v1/reactivations/{rid}/approve", {}, token=admin),
            409, "illegal_transition")
    assert s.worker().returncode == 0
    assert s.get(f"/v1/reactivations/{rid}", token=office).json["state"] == "reactivated"
    assert hlr.info(sim["imsi"]).get("msisdn") == msisdn.lstrip("+")
    assert s.get(f"/v1/lines/{msisdn}", token=office).json["status"] == "active"


def test_a_rejection_says_why_and_the_number_keeps_resting(simexit_no_worker, hlr):
    s = simexit_no_worker
    office, admin = s.staff_token("kcell.office"), s.staff_token("kcell.admin")
    msisdn = s.demo_line("kcell", 6)
    close(s, msisdn, s.staff_token("kcell.store"))
    r = s.post("/v1/reactivations", mail_body(s, msisdn, new_sim(6)), token=office)
    assert r.status == 201, r
    rid = r.json["id"]
    problem(s.post(f"/v1/reactivations/{rid}/reject", {}, token=admin), 400, "reason_required",
            "reason")
    problem(s.post(f"/v1/reactivations/{rid}/reject", {"reason": "x" * 501}, token=admin),
            400, "text_too_long", "reason")
    r = s.post(f"/v1/reactivations/{rid}/reject", {"reason": "the signature differs"},
               token=admin)
    assert r.status == 200 and r.json["state"] == "rejected", r
    assert r.json["reason"] == "the signature differs"
    assert s.get(f"/v1/lines/{msisdn}", token=admin).json["status"] == "quarantined"
    assert "reactivation_reject" in audit_actions(s, msisdn)
    problem(s.post(f"/v1/reactivations/{rid}/approve", {}, token=admin), 409,
            "illegal_transition")


def test_each_refusal_is_specific_and_changes_nothing(simexit_no_worker, hlr):
    s = simexit_no_worker
    agent, admin_key = s.staff_token("kcell.store"), s.keys["admin"]
    msisdn = s.demo_line("kcell", 4)  # physical, refund due
    sim = new_sim(4)
    before = s.snapshot(*REACTIVATION_TABLES)
    # Not closed: the number is still in use.
    problem(s.post("/v1/reactivations", store_body(s, msisdn, sim), token=agent),
            409, "number_not_quarantined")
    assert s.snapshot(*REACTIVATION_TABLES) == before
    tid = close(s, msisdn, agent)
    holder = s.sign_in(s.demo_line("kcell", 5))  # signing in sends an SMS

    before = s.snapshot(*REACTIVATION_TABLES)
    refusals = [
        (store_body(s, msisdn, sim, channel="online"), 400, "invalid_channel"),
        (store_body(s, msisdn, sim, channel="phone"), 400, "invalid_channel"),
        (store_body(s, msisdn, sim, iccid="8977019999"), 400, "invalid_iccid"),
        (store_body(s, msisdn, sim, imsi="25099x"), 400, "invalid_imsi"),
        (store_body(s, msisdn, sim, colour="blue"), 400, "unknown_field"),
        (store_body(s, msisdn, sim, postmarked_on="2026-01-01"), 400, "invalid_field"),
        ({k: v for k, v in store_body(s, msisdn, sim).items() if k != "document"}, 400,
         "document_required"),
        ({**store_body(s, msisdn, sim), "msisdn": "+77059999999"}, 404, "line_not_found"),
        # The new SIM is another line's.
        (store_body(s, msisdn, sim, imsi=s.imsi_of(s.demo_line("kcell", 8))), 409, "sim_in_use"),
    ]
    for body, status, code in refusals:
        problem(s.post("/v1/reactivations", body, token=agent), status, code)
    # Another operator's staff: as if the number did not exist.
    problem(s.post("/v1/reactivations", store_body(s, msisdn, sim),
                   token=s.staff_token("beeline.store")), 404, "line_not_found")
    # A holder cannot give the number back to themself.
    problem(s.post("/v1/reactivations", store_body(s, msisdn, sim),
                   token=holder), 403, "insufficient_role")
    # The operator does not reactivate at all.
    r = s.request("PUT", "/v1/operators/kcell/policy", body={"reactivation_days": 0,
                                                              "quarantine_days": 180},
                  token=admin_key)
    assert r.status == 200 and r.json["policy"]["reactivation_days"] == 0, r
    problem(s.post("/v1/reactivations", store_body(s, msisdn, sim), token=agent),
            409, "reactivation_disabled")
    r = s.request("PUT", "/v1/operators/kcell/policy", body={"reactivation_days": 30,
                                                              "quarantine_days": 180},
                  token=admin_key)
    assert r.status == 200, r
    after = s.snapshot(*REACTIVATION_TABLES)
    assert after == before
    problem(s.get("/v1/reactivations/rea_" + "0" * 24, token=agent), 404,
            "reactivation_not_found")
    problem(s.get("/v1/reactivations?state=done", token=agent), 400, "invalid_query")
    assert tid


def test_after_the_window_or_the_release_the_answer_is_no(simexit_no_worker, hlr):
    s = simexit_no_worker
    agent = s.staff_token("kcell.store")
    msisdn = s.demo_line("kcell", 10)  # physical, bonus only
    sim = new_sim(10)
    tid = close(s, msisdn, agent)
    # The closure was 31 days ago (Kcell gives numbers back for 30).
    s.db_query("UPDATE termination_events SET at = at - 31 * 86400 "
               "WHERE termination_id = ? AND to_state = 'terminated'", tid)
    before = s.snapshot(*REACTIVATION_TABLES)
    r = s.post("/v1/reactivations", store_body(s, msisdn, sim), token=agent)
    problem(r, 409, "reactivation_window_closed")
    assert "30 days" in r.json["detail"], r
    assert s.snapshot(*REACTIVATION_TABLES) == before

    # Once the quarantine is over the number goes back to the pool: no longer
    # anyone's to get back, whatever the window.
    r = s.request("PUT", "/v1/operators/kcell/policy",
                  body={"reactivation_days": 365, "quarantine_days": 180}, token=s.keys["admin"])
    assert r.status == 200, r
    s.db_query("UPDATE lines SET quarantine_until = 1 WHERE msisdn = ?", msisdn)
    s.db_query("UPDATE jobs SET run_at = 0 WHERE kind = 'release_number'")
    assert s.worker().returncode == 0
    assert s.get(f"/v1/lines/{msisdn}", token=agent).json["status"] == "available"
    problem(s.post("/v1/reactivations", store_body(s, msisdn, sim), token=agent),
            409, "number_released")


def test_a_number_released_while_the_application_waits_is_refused(simexit_no_worker, hlr):
    """Approval checks the rules again: the number went back to the pool while
    the posted application waited for review."""
    s = simexit_no_worker
    office, admin = s.staff_token("kcell.office"), s.staff_token("kcell.admin")
    msisdn = s.demo_line("kcell", 9)
    close(s, msisdn, s.staff_token("kcell.store"))
    r = s.post("/v1/reactivations", mail_body(s, msisdn, new_sim(9)), token=office)
    assert r.status == 201, r
    rid = r.json["id"]
    s.db_query("UPDATE lines SET quarantine_until = 1 WHERE msisdn = ?", msisdn)
    s.db_query("UPDATE jobs SET run_at = 0 WHERE kind = 'release_number'")
    assert s.worker().returncode == 0
    problem(s.post(f"/v1/reactivations/{rid}/approve", {}, token=admin), 409, "number_released")
    assert s.get(f"/v1/reactivations/{rid}", token=admin).json["state"] == "pending_review"


@pytest.mark.parametrize("point", ["provision_reactivation:after_hlr",
                                   "provision_reactivation:after_commit"])
def test_a_worker_killed_while_provisioning_leaves_it_done_once(simexit_no_worker, hlr,
                                                                 hlr_cleanup, point):
    """kill -9 of the worker around the HLR write (SIMEXIT_FAULT_KILL_AT, as in
    test_crash.py), then a new worker once the 1 s lease has expired: the line
    ends active once, with one `complete` event, the subscriber in the HLR."""
    s = simexit_no_worker
    agent = s.staff_token("kcell.store")
    msisdn = s.demo_line("kcell", 8)
    close(s, msisdn, agent)
    sim = new_sim(8)
    hlr_cleanup.append(sim["imsi"])
    r = s.post("/v1/reactivations", store_body(s, msisdn, sim), token=agent)
    assert r.status == 201, r
    lease = {"SIMEXIT_WORKER_LEASE_SECONDS": "1"}
    # On a loaded machine a 1 s lease can expire between the claim and the
    # step (the worker then leaves the job to the next claim): try again.
    for _ in range(5):
        run = s.worker(env={**lease, "SIMEXIT_FAULT_KILL_AT": point})
        if run.returncode != 0:
            break
        time.sleep(1.2)
    assert run.returncode == -signal.SIGKILL, (run.returncode, run.stdout, run.stderr)
    assert hlr.info(sim["imsi"]) is not None, "killed after the HLR write"
    time.sleep(2.2)  # past the killed worker's lease
    job = "SELECT state FROM jobs WHERE kind = 'provision_reactivation'"
    for _ in range(5):
        assert s.worker(env=lease).returncode == 0
        if s.db_query(job) == [("done",)]:
            break
        time.sleep(1.2)
    detail = s.get(f"/v1/reactivations/{r.json['id']}", token=agent).json
    assert detail["state"] == "reactivated", detail
    events = [e["event"] for e in detail["events"]]
    assert events.count("complete") == 1 and events.count("hlr_provisioned") == 1, events
    assert hlr.info(sim["imsi"]).get("msisdn") == msisdn.lstrip("+")
    assert s.get(f"/v1/lines/{msisdn}", token=agent).json["status"] == "active"
    assert s.db_query(job) == [("done",)]
