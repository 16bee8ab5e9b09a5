"""Staff sign-in is throttled per username and client address, and failed
sign-ins leave a bounded number of rows (docs/security.md).

The server sees the loopback source address each client binds (127.0.0.x are
all on `lo` in the test namespace), so two addresses are two clients.
"""

import http.client
import json
import time

import pytest
from conftest import Simexit

ATTACKER = "127.0.0.9"
COUNTER = "127.0.0.2"


@pytest.fixture
def server(simexit_no_worker):
    return simexit_no_worker


def post_from(s, source, path, body):
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30,
                                      source_address=(source, 0))
    try:
        conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
        r = conn.getresponse()
        data = r.read()
        body = json.loads(data) if data else {}
        body.pop("request_id", None)  # differs for every request
        return r.status, body
    finally:
        conn.close()


def sign_in(s, source, username, password):
    return post_from(s, source, "/v1/staff/login", {"username": username, "password": password})


def test_a_lock_from_one_address_does_not_stop_the_user_elsewhere(server):
    username = "kcell.store"
    password = server.staff[username]
    for _ in range(4):
        status, body = sign_in(server, ATTACKER, username, "not the password")
        assert (status, body["code"]) == (401, "invalid_credentials")
    status, body = sign_in(server, ATTACKER, username, "not the password")
    assert (status, body["code"]) == (429, "account_locked")
    # Locked for the attacker's address, even with the right password ...
    status, body = sign_in(server, ATTACKER, username, password)
    assert (status, body["code"]) == (429, "account_locked")
    # ... and not for the staff member at the counter.
    status, body = sign_in(server, COUNTER, username, password)
    assert status == 200, body
    assert body["token"].startswith("ss_")

    # Each attempt is audited with its address.
    staff_id = server.db_query("SELECT id FROM staff WHERE username = ?", username)[0][0]
    rows = server.db_query(
        "SELECT action, detail FROM audit_log WHERE subject = ? ORDER BY id",
        f"staff:{staff_id}")
    attempts = [r for r in rows if r[0].startswith("staff_log") or r[0] == "staff_locked"]
    assert attempts == [("staff_login_wrong", f"from {ATTACKER}")] * 4 + [
        ("staff_locked", f"from {ATTACKER}"),
        ("staff_login_locked", attempts[5][1]),
        ("staff_login_ok", f"from {COUNTER}"),
    ]
    assert attempts[5][1].startswith(f"from {ATTACKER}, until ")


def test_unknown_usernames_are_throttled_alike(server):
    """A lock says nothing about whether the username exists."""
    answers = {}
    for username in ("kcell.store", "no.such.person"):
        seen = []
        for _ in range(6):
            seen.append(sign_in(server, ATTACKER, username, "not the password"))
        seen.append(sign_in(server, COUNTER, username, "not the password"))
        answers[username] = seen
    assert answers["kcell.store"] == answers["no.such.person"]
    assert [s for s, _ in answers["no.such.person"]] == [401] * 4 + [429, 429, 401]


def wait_for_outcomes(s, count):
    """Waits (bounded) until `count` sign-in code outcomes are audited."""
    deadline = time.time() + 10
    while s.sign_in_code_outcomes() < count:
        assert time.time() < deadline, "the sign-in codes' audit records were not written"
        time.sleep(0.01)


def count_rows(s):
    tables = s.tables()
    return {t: s.db_query(f"SELECT COUNT(*) FROM {t}")[0][0] for t in tables}


def test_failed_sign_ins_leave_a_bounded_number_of_rows(server):
    # Sign-in codes for 60 numbers nobody has (30 per client address per hour).
    numbers = [f"+7778{i:07d}" for i in range(60)]
    outcomes = server.sign_in_code_outcomes()
    for i, number in enumerate(numbers):
        status, body = post_from(server, f"127.0.3.{1 + i // 30}", "/v1/auth/otp",
                                 {"msisdn": number})
        assert status == 202, body
    assert server.db_query("SELECT COUNT(*) FROM sign_in_codes")[0][0] == 60
    # Each request's audit record is written after its answer
    # (docs/security.md): wait for all 60 before counting the audit trail.
    wait_for_outcomes(server, outcomes + 60)

    # An hour and more later (the rows are made older: the server's clock is
    # real) no limit reads them any more: each new request takes up to 16 of
    # them with it, so the table holds the last hour's challenges.
    server.db_query("UPDATE sign_in_codes SET created_at = created_at - 3700, "
                    "expires_at = expires_at - 3700")
    audit_before = server.db_query("SELECT COUNT(*) FROM audit_log")[0][0]
    outcomes = server.sign_in_code_outcomes()
    for i in range(4):
        status, body = post_from(server, "127.0.3.9", "/v1/auth/otp",
                                 {"msisdn": f"+7778{100 + i:07d}"})
        assert status == 202, body
    assert server.db_query("SELECT COUNT(*) FROM sign_in_codes")[0][0] == 4
    wait_for_outcomes(server, outcomes + 4)
    # Audit records are never deleted.
    assert server.db_query("SELECT COUNT(*) FROM audit_log")[0][0] == audit_before + 4

    # Failed staff sign-ins leave nothing but audit records.
    before = count_rows(server)
    for i in range(12):
        source = f"127.0.4.{1 + i % 3}"
        username = "kcell.store" if i % 2 else f"nobody{i}"
        status, _ = sign_in(server, source, username, "not the password")
        assert status in (401, 429)
    after = count_rows(server)
    assert after.pop("audit_log") == before.pop("audit_log") + 12
    assert after.pop("audit_chain") == before.pop("audit_chain") + 12, "a link a record"
    assert after == before


PROXY = "127.0.0.5"


@pytest.fixture
def proxied(hlr, tmp_path):
    """simexit behind a reverse proxy at PROXY (server.trusted_proxies)."""
    s = Simexit(tmp_path, worker=False)
    s.config.write_text(s.config.read_text().replace(
        "[server]\n", f'[server]\ntrusted_proxies = "{PROXY}"\n', 1))
    s.demo()
    s.start()
    try:
        yield s
    finally:
        s.stop()


def sign_in_via(s, source, forwarded_for, username, password):
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30,
                                      source_address=(source, 0))
    try:
        conn.request("POST", "/v1/staff/login",
                     json.dumps({"username": username, "password": password}),
                     {"Content-Type": "application/json", "X-Forwarded-For": forwarded_for})
        r = conn.getresponse()
        return r.status, json.loads(r.read())
    finally:
        conn.close()


def test_behind_a_trusted_proxy_the_forwarded_address_is_the_client(proxied):
    username = "kcell.store"
    password = proxied.staff[username]
    # Through the proxy, two clients: one locks itself out, the other signs in.
    for _ in range(5):
        status, _ = sign_in_via(proxied, PROXY, "198.51.100.1", username, "not the password")
    assert status == 429
    status, body = sign_in_via(proxied, PROXY, "203.0.113.50, 198.51.100.2", username, password)
    assert status == 200, body
    # Another peer's X-Forwarded-For is not believed: its own address counts.
    status, _ = sign_in_via(proxied, "127.0.0.6", "198.51.100.3", username, "not the password")
    assert status == 401
    staff_id = proxied.db_query("SELECT id FROM staff WHERE username = ?", username)[0][0]
    details = [r[0] for r in proxied.db_query(
        "SELECT detail FROM audit_log WHERE subject = ? AND action LIKE 'staff_lo%' ORDER BY id",
        f"staff:{staff_id}")]
    assert details[-2:] == ["from 198.51.100.2", "from 127.0.0.6"], details
    assert details[0] == "from 198.51.100.1"
