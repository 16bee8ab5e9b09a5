"""Operating simexit: dead-lettered jobs and their retry, the CLI views, and
what the logs must never contain."""

import re


def _online_termination(s, msisdn):
    token = s.sign_in(msisdn)
    r = s.post("/v1/terminations",
               {"msisdn": msisdn,
                "refund": {"method": "iban", "destination": "KZ86125KZT5004100100"}},
               token=token)
    assert r.status == 201, r
    return token, r.json["id"]


def test_unreachable_hlr_dead_letters_the_job_and_retry_finishes_it(simexit_no_worker, hlr):
    s = simexit_no_worker
    msisdn = s.demo_line("kcell", 0)
    token, tid = _online_termination(s, msisdn)
    # Nothing listens on port 1: every HLR call fails as unavailable; one
    # attempt allowed, so the deprovisioning job is dead-lettered.
    broken = {"SIMEXIT_HLR_CTRL_PORT": "1", "SIMEXIT_WORKER_MAX_ATTEMPTS": "1"}
    assert s.worker(env=broken).returncode == 0
    assert s.get(f"/v1/terminations/{tid}", token=token).json["state"] == "deprovisioning"
    assert hlr.info(s.imsi_of(msisdn)) is not None

    dead = s.cli("jobs", "list", "--state", "dead").stdout
    rows = [l for l in dead.splitlines() if " deprovision " in l]
    assert len(rows) == 1, dead
    assert "hlr_unavailable" in rows[0], dead
    job_id = rows[0].split()[0]

    # A dead job stays dead until someone retries it.
    assert s.worker().returncode == 0
    assert s.get(f"/v1/terminations/{tid}", token=token).json["state"] == "deprovisioning"

    out = s.cli("jobs", "retry", job_id).stdout
    assert f"job {job_id} is pending again" in out
    assert s.worker().returncode == 0
    assert s.get(f"/v1/terminations/{tid}", token=token).json["state"] == "terminated"
    assert hlr.info(s.imsi_of(msisdn)) is None
    assert s.cli("jobs", "list", "--state", "dead").stdout.count("\n") == 1  # header only


def test_retrying_a_done_job_is_refused(simexit_no_worker):
    s = simexit_no_worker
    _online_termination(s, s.demo_line("kcell", 4))
    s.worker()
    done = s.cli("jobs", "list", "--state", "done").stdout.splitlines()[1].split()[0]
    r = s.cli("jobs", "retry", done, check=False)
    assert r.returncode == 1
    assert "job_not_retryable" in r.stderr


def test_terminations_list_and_show(simexit_no_worker):
    s = simexit_no_worker
    msisdn = s.demo_line("beeline", 0)
    _, tid = _online_termination(s, msisdn)
    s.worker()
    listed = s.cli("terminations", "list", "--state", "terminated", "--operator", "beeline").stdout
    assert tid in listed and msisdn in listed
    assert tid not in s.cli("terminations", "list", "--operator", "kcell").stdout
    shown = s.cli("terminations", "show", tid).stdout
    for expected in ["state         terminated", "settlement", "certificate   SX-",
                     "settling -> deprovisioning", "deprovisioning -> terminated"]:
        assert expected in shown, shown
    r = s.cli("terminations", "show", "trm_doesnotexist", check=False)
    assert r.returncode == 1 and "termination_not_found" in r.stderr
    r = s.cli("terminations", "list", "--state", "sleeping", check=False)
    assert r.returncode == 2 and "unknown termination state" in r.stderr


def test_logs_never_contain_codes_tokens_or_document_numbers(simexit):
    s = simexit
    msisdn = s.demo_line("kcell", 8)
    token, tid = _online_termination(s, msisdn)
    s.wait_state(tid, token, {"terminated"})
    code = re.search(r"\b(\d{6})\b", s.sms(msisdn)[0]["text"]).group(1)
    documents = s.db_query("SELECT document_number FROM holders")
    s.stop()
    log = (s.dir / "serve.log").read_text()
    assert "request_id" in log  # the log is there and structured
    assert token not in log
    assert code not in log
    assert s.keys["kcell"] not in log and s.keys["admin"] not in log
    for (number,) in documents:
        assert number not in log, number


def test_sms_outbox_lists_every_message_and_masks_sign_in_codes(simexit):
    s = simexit
    msisdn = s.demo_line("kcell", 0)
    token, tid = _online_termination(s, msisdn)
    s.wait_state(tid, token, {"terminated"})
    s.wait_jobs_idle()
    listed = s.cli("sms", "list", "--recipient", msisdn).stdout
    for kind in ["sign_in_code", "termination_received", "terminated"]:
        assert kind in listed, listed
    assert "queued" not in listed, listed
    code = re.search(r"\b(\d{6})\b", s.sms(msisdn)[0]["text"]).group(1)
    rows = s.db_query("SELECT kind, text, state FROM sms_messages WHERE recipient = ?", msisdn)
    sign_in = [r for r in rows if r[0] == "sign_in_code"]
    assert len(sign_in) == 1 and code not in sign_in[0][1] and "******" in sign_in[0][1]
    assert all(r[2] == "submitted" for r in rows), rows
    r = s.cli("sms", "list", "--state", "lost", check=False)
    assert r.returncode == 2 and "unknown SMS state" in r.stderr


def test_sign_in_attempts_are_in_the_audit_trail(simexit_no_worker):
    s = simexit_no_worker
    msisdn = s.demo_line("tele2", 1)
    assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202
    code = re.search(r"\b(\d{6})\b", s.sms(msisdn)[-1]["text"]).group(1)
    wrong = "000000" if code != "000000" else "111111"
    assert s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": wrong}).status == 401
    assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 429
    assert s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": code}).status == 200
    rows = s.db_query("SELECT action, detail, request_id FROM audit_log WHERE subject = ? "
                      "ORDER BY id", msisdn)
    assert [r[0] for r in rows] == ["otp_sent", "otp_wrong", "otp_refused", "otp_verified"], rows
    assert rows[2][1] == "resend_too_soon"
    assert all(r[2] for r in rows), "every audit record carries its request id"
    assert not any(code in r[1] for r in rows)


def test_check_passes_on_demo_data_and_names_each_violation(simexit_no_worker):
    """`simexit check` on the demo database: every invariant holds (exit 0).
    Then rows edited behind simexit's back, as a faulty hand-made fix would:
    exit 1, one line per violation, naming the rule and the row."""
    s = simexit_no_worker
    ok = s.cli("check")
    assert "ok: every invariant holds" in ok.stdout

    posting = s.db_query("SELECT MIN(posting_id) FROM ledger_entries")[0][0]
    s.db_query("UPDATE ledger_entries SET amount = amount + 1 "
               "WHERE id = (SELECT MIN(id) FROM ledger_entries)")
    line_id = s.db_query("SELECT MIN(id) FROM lines WHERE status = 'active'")[0][0]
    s.db_query("UPDATE lines SET status = 'quarantined' WHERE id = ?", line_id)

    bad = s.cli("check", check=False)
    assert bad.returncode == 1, bad
    lines = bad.stdout.splitlines()
    assert f"posting_balanced posting:{posting}: entries sum to 1 tiyn" in lines
    assert "ledger_balanced ledger: all entries sum to 1 tiyn" in lines
    assert any(l.startswith(f"line_status line:{line_id}: line is quarantined") for l in lines), lines
    assert "invariant violation(s)" in bad.stderr
