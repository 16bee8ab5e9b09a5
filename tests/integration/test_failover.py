"""Fail-over of PostgreSQL under load (docs/deployment.md): a primary and its
synchronous standby (pg_server.PgPair), simexit pointed at both with the
multi-host URL and target_session_attrs=read-write, two `simexit serve` and
two `simexit worker` processes.

200 lines are asked to be closed concurrently through both servers; once a
third of them are answered and one deprovisioning step is held in the middle
(the first worker pauses its first step right after barring the subscriber,
SIMEXIT_FAULT_PAUSE_AT), the primary is SIGKILLed and the standby promoted
with `pg_ctl promote` (what Patroni would do); then the held step goes on. Clients retry 503 and broken
connections with the same Idempotency-Key, as the API asks. Then, on the new
primary: every termination answered 2xx is there and reaches `terminated`
with its certificate, no line has two terminations and a replay of every key
gives the termination first answered, the ledger sums to zero, every
subscriber is gone from osmo-hlr and recorded removed once, no job died, and
`simexit check` finds nothing. simexit's processes ride it out: none exits.

PostgreSQL only (SIMEXIT_TEST_PG=1).
"""

import concurrent.futures
import json
import threading
import time

import pytest

from bulk_helpers import Process, import_lines, line, post, provision, request_body
from conftest import USE_PG, Simexit, free_port
from pg_server import PgPair

pytestmark = pytest.mark.skipif(not USE_PG, reason="fail-over is PostgreSQL's (SIMEXIT_TEST_PG=1)")

LINES = 200
# Bulk lines of their own (test_many_instances.py closes lines 0..999 in the
# same osmo-hlr).
FIRST_LINE = 5000
CLIENTS = 8
# Answers that say "try again": the store is away (the fail-over) or busy.
RETRY_CODES = ("store_unavailable", "database_busy")
# Where the first worker holds a step across the fail-over.
PAUSE_AT = "deprovision:after_bar"


@pytest.fixture
def pg_pair():
    pair = PgPair()
    try:
        yield pair
    finally:
        pair.stop()


@pytest.fixture
def installation(pg_pair, hlr, tmp_path):
    """simexit on the pair: its `serve`, one more `serve` on a port of its own
    and two `simexit worker`; yields (installation, [ports], [processes])."""
    s = Simexit(tmp_path, worker=False, pg=pg_pair)
    # A job whose worker lost its database mid-step goes to another worker
    # after one lease: a short one keeps the test short.
    s.config.write_text(s.config.read_text().replace(
        "poll_interval_ms = 100\n", "poll_interval_ms = 100\nlease_seconds = 4\n"))
    s.demo()
    s.start()
    processes = []
    try:
        processes.append(Process(s, "serve2", "serve", port=free_port()))
        # The first worker holds its first deprovisioning step after the bar
        # while the pause file exists: the test fails the database over there.
        pause = tmp_path / "pause-deprovision"
        pause.write_text("")
        processes.append(Process(s, "worker1", "worker", env={
            "SIMEXIT_FAULT_PAUSE_AT": PAUSE_AT, "SIMEXIT_FAULT_PAUSE_FILE": str(pause)}))
        processes.append(Process(s, "worker2", "worker"))
        processes[0].wait_healthy()
        yield s, [s.port, processes[0].port], processes
    finally:
        for p in processes:
            p.stop()
        s.stop()


class Client:
    """Asks for each line's termination until it is answered 2xx, retrying
    503 (store_unavailable, database_busy) and broken connections with the
    same Idempotency-Key. The second half of the lines is held back until
    `release` is set, so that the fail-over always lands in the middle of the
    load however fast the machine answers the first half."""

    def __init__(self, s, ports):
        self.s = s
        self.ports = ports
        self.key = s.keys["kcell"]
        self.answered = 0  # lines answered 2xx so far
        self.retries = []  # (line index, what was retried)
        self.lock = threading.Lock()
        self.release = threading.Event()

    def create(self, i, deadline):
        if i >= LINES // 2:
            assert self.release.wait(max(0.0, deadline - time.time())), f"line {i} never released"
            deadline = time.time() + 60
        l = line(FIRST_LINE + i)
        port = self.ports[i % len(self.ports)]
        while True:
            try:
                r = post(self.s, port, request_body(l), self.key, {"Idempotency-Key": f"fo-{i}"})
            except OSError as err:  # refused, reset, timed out (URLError is one)
                retried = repr(err)
            else:
                if 200 <= r.status < 300:
                    with self.lock:
                        self.answered += 1
                    return l["msisdn"], r
                if r.status != 503 or (r.json or {}).get("code") not in RETRY_CODES:
                    return l["msisdn"], r
                retried = r.json["code"]
            with self.lock:
                self.retries.append((i, retried))
            assert time.time() < deadline, f"line {i} still not answered: {retried}"
            time.sleep(0.1)


def wait_for(what, predicate, timeout, alive):
    deadline = time.time() + timeout
    while not predicate():
        assert time.time() < deadline, what()
        for p in alive:
            assert p.proc.poll() is None, p.log.read_text()[-2000:]
        time.sleep(0.2)


def test_primary_killed_under_load_loses_and_doubles_nothing(installation, pg_pair, hlr, tmp_path):
    s, ports, processes = installation
    lines = [line(FIRST_LINE + n) for n in range(LINES)]
    import_lines(s, tmp_path, lines)
    provision(lines)

    client = Client(s, ports)
    deadline = time.time() + 60
    with concurrent.futures.ThreadPoolExecutor(CLIENTS) as pool:
        futures = [pool.submit(client.create, i, deadline) for i in range(LINES)]
        # The fail-over, in the middle of the load.
        wait_for(lambda: f"only {client.answered} answered", lambda: client.answered >= LINES // 3,
                 30, processes)
        worker1 = processes[1]
        wait_for(lambda: "no deprovisioning step held: " + worker1.log.read_text()[-2000:],
                 lambda: "fault injection: paused" in worker1.log.read_text(), 30, processes)
        pg_pair.crash_primary()
        answered_at_crash = client.answered
        client.release.set()  # the held half meets the dead primary, then the new one
        time.sleep(1)  # the time Patroni takes to decide; clients get 503s meanwhile
        pg_pair.promote_standby()
        answered_at_promotion = client.answered
        (tmp_path / "pause-deprovision").unlink()  # the held step goes on, on the new primary
        created = [f.result() for f in futures]

    refused = [(m, r) for m, r in created if r.status != 201]
    assert not refused, refused[:5]
    # The fail-over was in the middle: answers before it and after it, and
    # the clients had to retry across it.
    assert answered_at_crash < LINES and answered_at_promotion < LINES, (answered_at_crash,
                                                                         answered_at_promotion)
    assert client.retries, "the fail-over went unnoticed: nothing was retried"
    # The test's reads go where simexit's go: the promoted standby.
    assert s.db_query("SELECT inet_server_port(), pg_is_in_recovery()") == [
        (pg_pair.standby_port, False)]

    # Every key replayed gives the termination first answered.
    answered = {m: r.json["id"] for m, r in created}
    for i, l in enumerate(lines):
        r = post(s, ports[(i + 1) % len(ports)], request_body(l), s.keys["kcell"],
                 {"Idempotency-Key": f"fo-{i}"})
        assert r.status == 201 and r.json["id"] == answered[l["msisdn"]], (i, r)
        replayed = {k.lower(): v for k, v in r.headers.items()}.get("idempotent-replayed")
        assert replayed == "true", (i, r.headers)

    # Every termination answered reaches terminated with its certificate.
    wait_for(lambda: "certificates: " + repr(s.db_query("SELECT count(*) FROM certificates"))
             + "; jobs: " + repr(s.db_query(
                 "SELECT kind, state, count(*) FROM jobs GROUP BY kind, state")),
             lambda: s.db_query("SELECT count(*) FROM certificates")[0][0] == LINES, 90, processes)
    stored = dict(s.db_query(
        "SELECT t.msisdn, t.id FROM terminations t JOIN certificates c ON c.termination_id = t.id "
        "WHERE t.state = 'terminated'"))
    assert stored == answered
    # Nothing doubled: one termination a line, one certificate a termination.
    assert s.db_query("SELECT count(*), count(DISTINCT msisdn) FROM terminations") == [
        (LINES, LINES)]
    assert s.db_query("SELECT count(*), count(DISTINCT termination_id) FROM certificates") == [
        (LINES, LINES)]
    # The ledger sums to zero.
    assert s.db_query("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries")[0][0] == 0
    # Every subscriber is gone from osmo-hlr, and its removal recorded once. A
    # removal whose record was lost with the primary is found already done on
    # the retry: only a deprovision step that ran more than once says so.
    assert all(hlr.info(l["imsi"]) is None for l in lines)
    removed = s.db_query(
        "SELECT e.termination_id, count(*), min(e.detail), max(j.attempts) "
        "FROM termination_events e JOIN jobs j ON j.dedupe_key = 'deprovision:' || e.termination_id "
        "WHERE e.event = 'hlr_removed' GROUP BY e.termination_id")
    assert len(removed) == LINES
    assert [r for r in removed if r[1] != 1] == []
    assert [r for r in removed if r[2] != "subscriber removed from the HLR" and r[3] < 2] == []

    # The step held across the fail-over went on and its job finished.
    held = [json.loads(l) for l in worker1.log.read_text().splitlines()
            if l.startswith("{") and "fault injection: " in l]
    assert [h["msg"] for h in held] == ["fault injection: paused", "fault injection: resumed"]
    held_job = int(held[0]["request_id"].removeprefix("job-"))

    # The notices after the certificates finish too, no job died, and the
    # invariants hold on the new primary.
    s.wait_jobs_idle(timeout=60)
    assert s.db_query(f"SELECT kind, state FROM jobs WHERE id = {held_job}") == [
        ("deprovision", "done")]
    dead = s.db_query("SELECT kind, last_error FROM jobs WHERE state = 'dead'")
    assert dead == [], dead[:5]
    check = s.cli("check", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    # simexit's processes rode it out.
    assert s.proc.poll() is None, (s.dir / "serve.log").read_text()[-2000:]
    for p in processes:
        assert p.stop() == 0, p.log.read_text()[-2000:]
