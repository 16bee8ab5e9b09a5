"""SMS through a real SMSC, end to end: simexit binds to osmo-msc's SMSC over
SMPP 3.4, a phone test peer (an MME on osmo-msc's SGs interface) attaches the
SIM and receives its sign-in code and notices as a phone would, and after the
termination the SIM can neither attach nor receive SMS."""

import re
import subprocess
import time

import pytest

import msc_sms_db
from conftest import OSMO_MSC_SH, Simexit


def _with_smsc(tmp_path, msc, password=None, worker=True):
    s = Simexit(tmp_path, worker=worker)
    with open(s.config, "a") as f:
        f.write("\n".join([
            "[smsc.kcell]",
            f'host = "{msc.smpp_host}"',
            f"port = {msc.smpp_port}",
            f'system_id = "{msc.system_id}"',
            f'password = "{password or msc.password}"',
            'source_addr = "Kcell"',
            "response_timeout_ms = 3000",
            "[msc.kcell]",
            "ctrl_port = 4255",
            "",
        ]))
    s.demo()
    return s


def _wait(predicate, timeout=20, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _kinds(s, msisdn, state=None):
    sql = "SELECT kind FROM sms_messages WHERE recipient = ?"
    args = [msisdn]
    if state:
        sql += " AND state = ?"
        args.append(state)
    return sorted(r[0] for r in s.db_query(sql, *args))


@pytest.fixture
def simexit_smsc(msc, tmp_path):
    s = _with_smsc(tmp_path, msc)
    s.start()
    try:
        yield s
    finally:
        s.stop()


def test_phone_gets_its_code_and_notices_then_is_gone(simexit_smsc, msc):
    s = simexit_smsc
    msisdn = s.demo_line("kcell", 0)  # holder language ru
    imsi = s.imsi_of(msisdn)
    phone = msc.sgs_peer()
    assert phone.attach(imsi), "the SIM must attach before termination"

    assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202
    received = phone.receive_sms(imsi, timeout=15, count=1)
    assert len(received) == 1, received
    assert received[0]["originator"] == "Kcell"
    code = re.search(r"\b(\d{6})\b", received[0]["text"]).group(1)
    assert "Код simexit" in received[0]["text"]
    assert received[0]["dcs"] == 8  # Cyrillic: UCS-2
    received_at = max(r["created"] for r in msc.sms_rows(msisdn.lstrip("+")))
    r = s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": code})
    assert r.status == 200, r
    token = r.json["token"]

    r = s.post("/v1/terminations",
               {"msisdn": msisdn,
                "refund": {"method": "iban", "destination": "KZ86125KZT5004100100"}},
               token=token)
    assert r.status == 201, r
    tid = r.json["id"]
    s.wait_state(tid, token, {"terminated"})
    # The certificate is its own job after the state change: wait for it too.
    detail = _wait(lambda: (lambda t: t if t["certificate"] else None)(
        s.get(f"/v1/terminations/{tid}", token=token).json), 20, "the certificate")
    serial = detail["certificate"]["serial"]
    # The notices are submitted to the SMSC in the holder's language; the line
    # is detached right after, so they stay in the SMSC's store, which is
    # where the test reads them (Cyrillic: UCS-2; the long one concatenated).
    _wait(lambda: {"termination_received", "terminated"} <= set(_kinds(s, msisdn, "submitted"))
          | set(_kinds(s, msisdn, "delivered")), 20, "both notices submitted")
    rows = [r for r in msc.sms_rows(msisdn.lstrip("+")) if r["created"] >= received_at]
    whole = msc_sms_db.reassemble(rows)
    texts = [m["text"] for m in whole]
    assert any(t.startswith("Заявка на закрытие номера " + msisdn) for t in texts), texts
    closed = [m for m in whole if serial in m["text"]]
    assert len(closed) == 1, texts
    assert closed[0]["text"].startswith("Номер " + msisdn + " закрыт. Справка " + serial)
    assert closed[0]["total"] >= 2, "the certificate notice is long: concatenated parts"
    assert all(p["dcs"] == 8 for p in closed[0]["parts"])

    # Detached: not in the MSC's VLR, cannot attach again, and an SMS to the
    # number reaches nobody.
    assert imsi not in msc.ctrl.active_subscribers()
    assert msc.hlr.info(imsi) is None
    assert not phone.attach(imsi), "a terminated SIM must not attach"
    smpp = msc.smpp()
    smpp.submit_text(msisdn.lstrip("+"), "after termination")
    assert phone.receive_sms(imsi, timeout=4) == []

    # The outbox followed each message; delivery reports mark them delivered.
    assert "sign_in_code" in _kinds(s, msisdn, "delivered") or \
        _wait(lambda: "sign_in_code" in _kinds(s, msisdn, "delivered"), 15, "delivery report")


def test_messages_queued_during_an_smsc_outage_arrive_exactly_once(msc, tmp_path):
    s = _with_smsc(tmp_path, msc)
    s.start()
    try:
        msisdn = s.demo_line("kcell", 4)
        # Sign in while the SMSC is up (the code is read from osmo-msc's store).
        assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202
        row = _wait(lambda: [x for x in msc.sms_rows(msisdn.lstrip("+"))
                             if x["text"] and "simexit" in x["text"]], 10, "the code in the SMSC")
        code = re.search(r"\b(\d{6})\b", row[-1]["text"]).group(1)
        token = s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": code}).json["token"]

        subprocess.run([str(OSMO_MSC_SH), "stop", str(msc.run_dir)], check=True)
        r = s.post("/v1/terminations",
                   {"msisdn": msisdn, "scheduled_for": time.strftime(
                       "%Y-%m-%d", time.gmtime(time.time() + 3 * 86400)),
                    "refund": {"method": "iban", "destination": "KZ86125KZT5004100100"}},
                   token=token)
        assert r.status == 201, r
        tid = r.json["id"]
        assert s.post(f"/v1/terminations/{tid}/cancel", {}, token=token).status == 200
        # Both notices wait in the outbox while the SMSC is down.
        _wait(lambda: s.db_query(
            "SELECT count(*) FROM sms_messages WHERE termination_id = ? AND state = 'queued' "
            "AND attempts > 0", tid)[0][0] >= 1, 20, "a failed attempt")
        assert s.db_query("SELECT count(*) FROM sms_messages WHERE termination_id = ? "
                          "AND state != 'queued'", tid)[0][0] == 0
    finally:
        subprocess.run([str(OSMO_MSC_SH), "start", str(msc.run_dir), "--no-hlr"], check=True)
        msc.reconnect()
    try:
        s.db_query("UPDATE jobs SET run_at = 0 WHERE kind = 'send_sms' AND state = 'pending'")
        _wait(lambda: s.db_query(
            "SELECT count(*) FROM sms_messages WHERE termination_id = ? AND state = 'queued'",
            tid)[0][0] == 0, 60, "the queued notices to be submitted")
        rows = [x for x in msc.sms_rows(msisdn.lstrip("+"))]
        texts = [x["text"] or "" for x in rows]
        scheduled = [t for t in texts if "будет закрыт" in t or "жабылады" in t or "closed on" in t]
        cancelled = [t for t in texts if "отменена" in t or "болдырылмады" in t or "cancelled" in t]
        assert len(scheduled) == 1, texts
        assert len(cancelled) == 1, texts
    finally:
        s.stop()


def test_wrong_smsc_password_is_a_clear_bind_error(msc, tmp_path):
    s = _with_smsc(tmp_path, msc, password="wrong")
    s.start()
    try:
        msisdn = s.demo_line("kcell", 8)
        r = s.post("/v1/auth/otp", {"msisdn": msisdn})
        # The caller is not told that sending failed: only customers' numbers
        # are sent codes, so a 503 would say the number is one (docs/security.md).
        assert r.status == 202, r
        listed = s.cli("sms", "list", "--recipient", msisdn).stdout
        assert "ESME_RINVPASWD" in listed, listed
        log = (s.dir / "serve.log").read_text()
        assert "ESME_RINVPASWD" in log
        assert "wrong" not in re.findall(r'"password[^,]*', log)
    finally:
        s.stop()
