"""Crash test: kill -9 the worker at each step of a termination, restart it,
and the termination still ends `terminated` exactly once: one certificate, one
settlement posting, one `complete` event, the subscriber deleted from the HLR.

The worker is `simexit worker --until-idle`, run by the test against the same
database as `simexit serve` (started without its own worker). The fault points
are in src/simexit/service/termination_workflow.cpp; SIMEXIT_FAULT_KILL_AT=<point>
makes the process SIGKILL itself there (src/simexit/app/runtime.cpp).

A killed worker leaves the jobs it had claimed leased; the real recovery path
is the lease expiring, so every worker here runs with a 1 s lease and the test
sleeps past it before restarting.
"""

import datetime
import signal
import time

import pytest

IBAN = "KZ86125KZT5004100100"
LEASE = {"SIMEXIT_WORKER_LEASE_SECONDS": "1"}
PAST_LEASE = 2.2  # seconds: lease_until = now + 1 and a lease counts as expired once < now

FAULT_POINTS = [
    "start_termination:after_commit",
    "settle:after_commit",
    "deprovision:after_bar",
    "deprovision:after_remove",
    "deprovision:after_commit",
    "issue_certificate:after_commit",
    "send_sms:after_send",
]


def tomorrow():
    return (datetime.datetime.now(datetime.timezone.utc).date() + datetime.timedelta(days=1)).isoformat()


def create_termination(s, scheduled):
    """A Kcell store termination of a line with a refund (main 2500, bonus 300),
    the holder's document checked at the counter. A scheduled one is made due
    at once (the worker uses the real clock)."""
    msisdn = s.demo_line("kcell", 0)
    body = {
        "msisdn": msisdn,
        "channel": "store",
        "document": s.holder_document(msisdn),
        "refund": {"method": "iban", "destination": IBAN},
    }
    if scheduled:
        body["scheduled_for"] = tomorrow()
    r = s.post("/v1/terminations", body, token=s.keys["kcell"])
    assert r.status == 201, r
    assert r.json["state"] == ("scheduled" if scheduled else "settling"), r
    if scheduled:
        s.db_query("UPDATE jobs SET run_at = 0 WHERE kind = 'start_termination'")
    return r.json["id"], body["msisdn"]


def kill_worker_at(s, point):
    run = s.worker(env={**LEASE, "SIMEXIT_FAULT_KILL_AT": point}, timeout=60)
    assert run.returncode == -signal.SIGKILL, (
        f"the worker should have died of SIGKILL at {point}, exited {run.returncode}\n"
        f"{run.stdout}\n{run.stderr}"
    )
    assert "fault injection: SIGKILL" in run.stderr + run.stdout
    return run


def state_of(s, tid):
    return s.db_query("SELECT state FROM terminations WHERE id = ?", tid)[0][0]


def unfinished_jobs(s):
    """Jobs that are leased, or pending and due: work a worker still has to do."""
    now = int(time.time())
    return s.db_query(
        "SELECT id, kind, state FROM jobs WHERE state = 'running' "
        "OR (state = 'pending' AND run_at <= ?)",
        now,
    )


def recover(s, tid, rounds=6):
    """Restarts the worker (no fault) until the termination is terminated and no
    due work is left; each round first waits for the killed worker's leases to
    expire."""
    for _ in range(rounds):
        time.sleep(PAST_LEASE)
        run = s.worker(env=LEASE, timeout=60)
        assert run.returncode == 0, f"{run.stdout}\n{run.stderr}"
        if state_of(s, tid) == "terminated" and not unfinished_jobs(s):
            return
    raise AssertionError(
        f"after {rounds} restarts the termination is {state_of(s, tid)}; "
        f"unfinished jobs: {unfinished_jobs(s)}"
    )


def assert_terminated_exactly_once(s, hlr, tid, msisdn):
    assert state_of(s, tid) == "terminated"
    q = s.db_query
    assert q("SELECT COUNT(*) FROM certificates WHERE termination_id = ?", tid)[0][0] == 1
    assert q("SELECT COUNT(*) FROM certificates")[0][0] == 1
    assert (
        q("SELECT COUNT(*) FROM postings WHERE termination_id = ? AND kind = 'settlement'", tid)[0][0]
        == 1
    )
    assert q("SELECT COUNT(*) FROM postings WHERE termination_id = ?", tid)[0][0] == 1
    events = [e for (e,) in q("SELECT event FROM termination_events WHERE termination_id = ?", tid)]
    for once in ("complete", "certificate_issued", "hlr_removed", "settled", "start_deprovisioning"):
        assert events.count(once) == 1, (once, events)
    # The certificate the termination points at is the one stored.
    serial = q("SELECT certificate_serial FROM terminations WHERE id = ?", tid)[0][0]
    assert q("SELECT serial FROM certificates WHERE termination_id = ?", tid) == [(serial,)]
    # The HLR no longer knows the subscriber.
    assert hlr.info(s.imsi_of(msisdn)) is None
    # Money: balanced, the line's accounts at zero, the refund owed exactly once.
    assert q("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries")[0][0] == 0
    line_id, op_id = q("SELECT id, operator_id FROM lines WHERE msisdn = ?", msisdn)[0]
    accounts = dict(
        q(
            "SELECT account, SUM(amount) FROM ledger_entries WHERE account LIKE ? GROUP BY account",
            f"line:{line_id}:%",
        )
    )
    assert accounts and all(v == 0 for v in accounts.values()), accounts
    assert q(
        "SELECT SUM(amount) FROM ledger_entries WHERE account = ?",
        f"operator:{op_id}:refunds_payable",
    )[0][0] == -250000
    assert q("SELECT status FROM lines WHERE msisdn = ?", msisdn)[0][0] == "quarantined"
    # Nothing was given up on, nothing is stuck.
    dead = s.cli("jobs", "list", "--state", "dead").stdout
    assert [l for l in dead.splitlines()[1:] if l.strip()] == [], dead
    running = s.cli("jobs", "list", "--state", "running").stdout
    assert [l for l in running.splitlines()[1:] if l.strip()] == [], running
    # One job per step (dedupe keys), each done.
    for kind in ("settle", "deprovision", "issue_certificate"):
        rows = q("SELECT state FROM jobs WHERE kind = ? AND payload LIKE ?", kind, f"%{tid}%")
        assert rows == [("done",)], (kind, rows)
    # The holder was told, with the certificate serial (at least once: an SMS
    # sent just before a crash is sent again on retry).
    terminated = [m for m in s.sms(msisdn) if m["kind"] == "terminated"]
    assert terminated and all(serial in m["text"] for m in terminated), terminated
    # And the database as a whole keeps every invariant (ledger, certificates,
    # line status, leases, audit trail): `simexit check` exits 0.
    check = s.cli("check", check=False)
    assert check.returncode == 0, f"{check.stdout}\n{check.stderr}"
    assert "ok: every invariant holds" in check.stdout
    # No crash leaves a record without its link in the audit chain, or a link
    # without its record (docs/audit.md).
    chain = s.cli("audit", "verify", check=False)
    assert chain.returncode == 0, f"{chain.stdout}\n{chain.stderr}"


@pytest.mark.parametrize("point", FAULT_POINTS)
def test_kill_9_at_each_step_then_restart(simexit_no_worker, hlr, point):
    s = simexit_no_worker
    tid, msisdn = create_termination(s, scheduled=point.startswith("start_termination"))
    assert hlr.info(s.imsi_of(msisdn)) is not None

    kill_worker_at(s, point)
    assert state_of(s, tid) != "terminated" or point in (
        "deprovision:after_commit",
        "issue_certificate:after_commit",
        "send_sms:after_send",
    ), f"killed at {point} yet already {state_of(s, tid)}"
    if point == "deprovision:after_bar":
        info = hlr.info(s.imsi_of(msisdn))
        assert info is not None and info.get("nam_cs") == "0", info
    if point == "deprovision:after_remove":
        assert hlr.info(s.imsi_of(msisdn)) is None
        assert state_of(s, tid) == "deprovisioning"

    recover(s, tid)
    assert_terminated_exactly_once(s, hlr, tid, msisdn)

    # Each notice reached the holder; only an SMS whose sender died between
    # sending and recording it is sent twice (at-least-once delivery).
    first = "termination_scheduled" if point.startswith("start_termination") else "termination_received"
    kinds = [m["kind"] for m in s.sms(msisdn)]
    assert kinds.count("terminated") == 1, kinds
    if point == "send_sms:after_send":
        assert kinds.count(first) in (1, 2), kinds
    else:
        assert kinds.count(first) == 1, kinds


def test_kill_9_of_serve_and_restart(simexit, hlr, monkeypatch):
    """The same with the worker inside `simexit serve`: the whole server dies
    mid-deprovisioning, a restarted server finishes the job."""
    s = simexit
    s.stop()
    monkeypatch.setenv("SIMEXIT_WORKER_LEASE_SECONDS", "1")
    monkeypatch.setenv("SIMEXIT_FAULT_KILL_AT", "deprovision:after_remove")
    s.start()
    tid, msisdn = create_termination(s, scheduled=False)
    try:
        code = s.proc.wait(timeout=30)
    except Exception:
        pytest.fail("serve was not killed at deprovision:after_remove")
    assert code == -signal.SIGKILL, code
    assert state_of(s, tid) == "deprovisioning"
    assert hlr.info(s.imsi_of(msisdn)) is None

    monkeypatch.delenv("SIMEXIT_FAULT_KILL_AT")
    time.sleep(PAST_LEASE)
    s.start()
    token = s.keys["kcell"]
    s.wait_state(tid, token, {"terminated"}, timeout=30)
    deadline = time.time() + 30
    while unfinished_jobs(s) and time.time() < deadline:
        time.sleep(0.1)
    assert_terminated_exactly_once(s, hlr, tid, msisdn)


@pytest.mark.parametrize(
    "first,second",
    [
        ("settle:after_commit", "deprovision:after_remove"),
        ("deprovision:after_bar", "issue_certificate:after_commit"),
    ],
)
def test_kill_9_twice_in_a_row(simexit_no_worker, hlr, first, second):
    s = simexit_no_worker
    tid, msisdn = create_termination(s, scheduled=False)
    kill_worker_at(s, first)
    time.sleep(PAST_LEASE)
    kill_worker_at(s, second)
    recover(s, tid)
    assert_terminated_exactly_once(s, hlr, tid, msisdn)
