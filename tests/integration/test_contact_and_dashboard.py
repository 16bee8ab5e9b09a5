"""The contact number for notices after closure, and the operator's dashboard
with the retry of failed work, against a real `simexit serve` and osmo-hlr."""

import time

IBAN = "KZ86125KZT5004100100"


def test_the_final_notice_goes_to_the_contact_number(simexit):
    s = simexit
    msisdn = s.demo_line("beeline", 0)
    token = s.sign_in(msisdn)
    body = {"msisdn": msisdn, "refund": {"method": "iban", "destination": IBAN}}

    # Malformed: refused naming the member, and nothing changes.
    before = s.snapshot()
    for bad in ("87011234567", "+44 79x1", "+0447911123456", 447911123456):
        r = s.post("/v1/terminations", {**body, "contact_msisdn": bad}, token=token)
        assert r.status == 400, r
        assert r.json["field"] == "contact_msisdn", r
        want = "invalid_field" if isinstance(bad, int) else "invalid_contact_msisdn"
        assert r.json["code"] == want, r
    assert s.snapshot() == before

    r = s.post("/v1/terminations", {**body, "contact_msisdn": "0044 7911 123456"}, token=token)
    assert r.status == 201, r
    assert r.json["contact_msisdn"] == "+447911123456"
    tid = r.json["id"]
    s.wait_state(tid, token, ["terminated"], timeout=30)
    deadline = time.time() + 10
    final = s.sms("+447911123456")
    while not final and time.time() < deadline:
        time.sleep(0.1)
        final = s.sms("+447911123456")
    assert len(final) == 1, final
    assert "/verify/SX-" in final[0]["text"], final
    # The line got the notices while it worked, not the final one.
    assert not any("/verify/" in m["text"] for m in s.sms(msisdn))
    r = s.get(f"/v1/terminations/{tid}", token=token)
    assert r.json["contact_msisdn"] == "+447911123456"


def test_dashboard_counts_and_retries_are_the_callers_operators(simexit_no_worker):
    s = simexit_no_worker
    admin = s.staff_token("kcell.admin")
    store = s.staff_token("kcell.store")
    r = s.get("/v1/dashboard", token=admin)
    assert r.status == 200, r
    assert set(r.json["by_state"]) >= {"submitted", "terminated", "cancelled"}
    assert len(r.json["per_day"]) == 30
    assert r.json["dead_jobs"] == [] and r.json["failed_sms"] == [], r
    assert s.get("/v1/dashboard", token=store).json["failed_sms"] is None

    # A refused notice of each operator, as an SMSC's refusal leaves it.
    ids = {}
    for code in ("kcell", "beeline"):
        s.db_query(
            "INSERT INTO sms_messages (operator_id, recipient, kind, language, text, state, "
            "attempts, message_ids, parts, last_error, created_at, updated_at, finished_at) "
            "SELECT id, '+77011112233', 'termination_received', 'en', 'Received.', 'failed', 1, "
            "'', 0, 'sms_rejected: refused', ?, ?, ? FROM operators WHERE code = ?",
            *[int(time.time())] * 3, code)
        ids[code] = s.db_query(
            "SELECT m.id FROM sms_messages m JOIN operators o ON o.id = m.operator_id "
            "WHERE o.code = ? ORDER BY m.id DESC LIMIT 1", code)[0][0]
    r = s.get("/v1/dashboard", token=admin)
    assert [m["id"] for m in r.json["failed_sms"]] == [ids["kcell"]], r

    before = s.snapshot()
    r = s.post(f"/v1/sms/{ids['kcell']}/retry", token=store)
    assert r.status == 403 and r.json["code"] == "insufficient_role", r
    r = s.post(f"/v1/sms/{ids['beeline']}/retry", token=admin)
    assert r.status == 404 and r.json["code"] == "sms_not_found", r
    assert s.snapshot() == before

    r = s.post(f"/v1/sms/{ids['kcell']}/retry", token=admin)
    assert r.status == 200 and r.json["state"] == "queued", r
    r = s.post(f"/v1/sms/{ids['kcell']}/retry", token=admin)
    assert r.status == 409 and r.json["code"] == "sms_not_retryable", r
    s.worker()
    assert s.db_query("SELECT state FROM sms_messages WHERE id = ?", ids["kcell"])[0][0] == \
        "submitted"
    assert s.db_query("SELECT COUNT(*) FROM audit_log WHERE action = 'sms_retried'")[0][0] == 1

    r = s.post("/v1/jobs/999999/retry", token=admin)
    assert r.status == 404 and r.json["code"] == "job_not_found", r
