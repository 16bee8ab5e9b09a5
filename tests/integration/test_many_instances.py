"""Many instances on one PostgreSQL (docs/deployment.md): three `simexit serve`
processes answer the API and two `simexit worker` processes run the jobs, all
on one database, against the real osmo-hlr.

1,000 lines are closed concurrently through all three instances, while the
same line is asked for on two instances at once and the same Idempotency-Key
is sent to two instances at once. Each line must be closed exactly once, with
one certificate each, the ledger summing to zero, every subscriber removed
from osmo-hlr exactly once, and `simexit check` finding nothing.

PostgreSQL only (SIMEXIT_TEST_PG=1): one SQLite file is one machine's store.
"""

import concurrent.futures
import os
import time

import pytest

from bulk_helpers import Process, at_once, import_lines, line, post, provision, request_body
from conftest import USE_PG, free_port

pytestmark = pytest.mark.skipif(not USE_PG, reason="many instances share PostgreSQL only")

LINES = int(os.environ.get("SIMEXIT_MANY_INSTANCES_LINES", "1000"))


@pytest.fixture
def cluster(simexit_no_worker, hlr, tmp_path):
    """The fixture's `serve` (no worker) and two more on their own ports, plus
    two `simexit worker` processes; yields (installation, [ports])."""
    s = simexit_no_worker
    extra = [Process(s, f"serve{i}", "serve", port=free_port()) for i in (2, 3)]
    workers = [Process(s, f"worker{i}", "worker") for i in (1, 2)]
    try:
        for p in extra:
            p.wait_healthy()
        yield s, [s.port] + [p.port for p in extra], workers
    finally:
        for p in extra + workers:
            p.stop()


def test_three_servers_and_two_workers_close_each_line_exactly_once(cluster, hlr, tmp_path):
    s, ports, workers = cluster
    key = s.keys["kcell"]
    lines = [line(n) for n in range(LINES)]
    import_lines(s, tmp_path, lines)
    provision(lines)
    assert all(hlr.info(l["imsi"]) is not None for l in lines[:3])

    # The same line on two instances at once: one request opens it, the other
    # is told a request is already open; nothing is doubled.
    contested = at_once([lambda p=p: post(s, p, request_body(lines[0]), key) for p in ports[:2]])
    assert sorted(r.status for r in contested) == [201, 409], contested
    refused = next(r for r in contested if r.status == 409)
    assert refused.json["code"] == "termination_exists", refused

    # The same Idempotency-Key on two instances at once: one termination, and
    # both callers are given it.
    replayed = at_once([lambda p=p: post(s, p, request_body(lines[1]), key,
                                         {"Idempotency-Key": "bulk-1"}) for p in ports[1:]])
    assert [r.status for r in replayed] == [201, 201], replayed
    assert replayed[0].json["id"] == replayed[1].json["id"]

    # Everything else through all three instances at once.
    def create(i):
        l = lines[i]
        r = post(s, ports[i % len(ports)], request_body(l), key, {"Idempotency-Key": f"line-{i}"})
        return l["msisdn"], r

    with concurrent.futures.ThreadPoolExecutor(24) as pool:
        created = list(pool.map(create, range(2, LINES)))
    failed = [(m, r) for m, r in created if r.status != 201]
    assert not failed, failed[:5]

    deadline = time.time() + 600
    while True:
        done = s.db_query("SELECT count(*) FROM certificates")[0][0]
        if done == LINES:
            break
        assert time.time() < deadline, (
            f"{done} of {LINES} certificates; jobs: "
            + repr(s.db_query("SELECT kind, state, count(*) FROM jobs GROUP BY kind, state")))
        for w in workers:
            assert w.proc.poll() is None, w.log.read_text()[-2000:]
        time.sleep(1)

    # Each line closed exactly once, one certificate each.
    assert s.db_query("SELECT count(*) FROM terminations")[0][0] == LINES
    assert s.db_query("SELECT count(DISTINCT msisdn) FROM terminations")[0][0] == LINES
    assert s.db_query(
        "SELECT count(*) FROM terminations WHERE state = 'terminated'")[0][0] == LINES
    assert s.db_query("SELECT count(DISTINCT termination_id) FROM certificates")[0][0] == LINES
    # The ledger sums to zero.
    assert s.db_query("SELECT COALESCE(SUM(amount), 0) FROM ledger_entries")[0][0] == 0
    # Every subscriber was removed from osmo-hlr, and exactly once: one step
    # found it there and removed it; none found it already gone.
    removed = s.db_query(
        "SELECT detail, count(*) FROM termination_events WHERE event = 'hlr_removed' "
        "GROUP BY detail")
    assert removed == [("subscriber removed from the HLR", LINES)], removed
    assert all(hlr.info(l["imsi"]) is None for l in lines)
    # The notices that follow the certificate finish too, and no job died.
    s.wait_jobs_idle(timeout=120)
    dead = s.db_query("SELECT kind, last_error FROM jobs WHERE state = 'dead'")
    assert dead == [], dead[:5]
    check = s.cli("check", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
    for w in workers:
        assert w.stop() == 0, w.log.read_text()[-2000:]
