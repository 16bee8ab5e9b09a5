"""Events to billing and CRM through webhooks (docs/events.md), end to end:
a termination runs against the real osmo-hlr, and every state change reaches
a receiving HTTP server on 127.0.0.1 signed, in order, at least once.

The receiver below is a fake of an operator's billing system, written for
these tests: it answers from a script (fail with 500, hang past simexit's
time limit, accept) and records every request it got. The worker is
`simexit worker --until-idle`, run by the tests against the same store as
`simexit serve` (started without its own worker), with a short time limit,
back-off and lease through the environment.
"""

import base64
import hashlib
import hmac
import http.server
import json
import signal
import threading
import time

import pytest

FAST = {
    "SIMEXIT_WEBHOOKS_TIMEOUT_MS": "700",
    "SIMEXIT_WEBHOOKS_BACKOFF_BASE_SECONDS": "1",
    "SIMEXIT_WEBHOOKS_BACKOFF_MAX_SECONDS": "1",
    "SIMEXIT_WORKER_LEASE_SECONDS": "1",
}
PAST_LEASE = 2.2  # seconds: lease_until = now + 1, expired once < now
STATE_CHANGED = "kz.simexit.termination.state_changed"


class FakeBilling:
    """A fake of an operator's billing system (test-only): an HTTP server on
    127.0.0.1 that answers each POST with the next step of `script`
    ("fail": 500, "hang": no answer for 2 s, then 200; "accept": 204), then
    accepts everything, and records each request as (headers, body)."""

    def __init__(self, script=()):
        self.script = list(script)
        self.requests = []
        self.lock = threading.Lock()
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                with outer.lock:
                    outer.requests.append((dict(self.headers), body))
                    step = outer.script.pop(0) if outer.script else "accept"
                if step == "hang":
                    time.sleep(2)
                    self.send_response(200)
                elif step == "fail":
                    self.send_response(500)
                else:
                    self.send_response(204)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/billing/events"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def accepted_ids(self):
        """Event ids in the order first received (repeats dropped)."""
        seen = []
        for headers, _ in self.requests:
            if headers["Simexit-Event-Id"] not in seen:
                seen.append(headers["Simexit-Event-Id"])
        return seen


@pytest.fixture
def billing():
    fakes = []

    def make(script=()):
        fake = FakeBilling(script)
        fakes.append(fake)
        return fake

    yield make
    for fake in fakes:
        fake.close()


def register(s, url, types=None, expect=201):
    body = {"url": url}
    if types is not None:
        body["event_types"] = types
    r = s.post("/v1/operators/kcell/webhooks", body, token=s.keys["admin"])
    assert r.status == expect, r
    return r.json


def verify(secret, headers, body):
    """The receiver's check, as docs/events.md tells integrators to do it."""
    signed = headers["Simexit-Timestamp"].encode() + b"." + body
    expected = base64.b64encode(hmac.new(secret.encode(), signed, hashlib.sha256).digest())
    version, _, signature = headers["Simexit-Signature"].partition(",")
    return version == "v1" and hmac.compare_digest(signature.encode(), expected)


def close_line(s, n):
    msisdn = s.demo_line("kcell", n)
    r = s.post("/v1/terminations",
               {"msisdn": msisdn, "channel": "store", "document": s.holder_document(msisdn)},
               token=s.keys["kcell"])
    assert r.status == 201, r
    return r.json["id"], msisdn


def state_path(s, tid):
    events = s.get(f"/v1/terminations/{tid}", token=s.keys["kcell"]).json["events"]
    transitions = [e for e in events if "to" in e]
    return [transitions[0]["from"]] + [e["to"] for e in transitions]


def pending_deliveries(s):
    return s.db_query("SELECT count(*) FROM webhook_deliveries WHERE state = 'pending'")[0][0]


def unfinished_work(s):
    """Deliveries still pending, and jobs waiting or running (a step's retry
    after its back-off), except the number's release months ahead."""
    jobs = s.db_query("SELECT count(*) FROM jobs WHERE state IN ('pending', 'running') "
                      "AND kind <> 'release_number'")[0][0]
    return pending_deliveries(s) + jobs


def run_worker_until_delivered(s, env=FAST, timeout=40):
    deadline = time.time() + timeout
    while True:
        run = s.worker(env=env)
        assert run.returncode == 0, run.stdout + run.stderr
        if unfinished_work(s) == 0:
            return
        assert time.time() < deadline, (s.db_query("SELECT * FROM webhook_deliveries"),
                                        s.db_query("SELECT kind, state, last_error FROM jobs"))
        time.sleep(0.5)


def received_states(fake, tid):
    """to_state of each state change of `tid`, in the order first received."""
    out, seen = [], set()
    for headers, body in fake.requests:
        event = json.loads(body)
        if event["id"] in seen or event["type"] != STATE_CHANGED or event["subject"] != tid:
            continue
        seen.add(event["id"])
        out.append(event["data"]["to_state"])
    return out


def test_every_event_arrives_in_order_signed_after_a_failure_and_a_timeout(
        simexit_no_worker, hlr, billing):
    s = simexit_no_worker
    fake = billing(["fail", "hang"])
    hook = register(s, fake.url)
    assert hook["secret"].startswith("whsec_") and hook["event_types"] == []
    listed = s.get("/v1/operators/kcell/webhooks", token=s.keys["admin"]).json["items"]
    assert [h["url"] for h in listed] == [fake.url] and "secret" not in listed[0]

    tid, msisdn = close_line(s, 2)
    run_worker_until_delivered(s)
    assert s.get(f"/v1/terminations/{tid}", token=s.keys["kcell"]).json["state"] == "terminated"
    assert hlr.info(s.imsi_of(msisdn)) is None

    # Every state change, in the order it happened, each arrived.
    assert received_states(fake, tid) == state_path(s, tid)
    # Every event of the outbox reached the endpoint; the first one three
    # times (500, no answer in time, accepted), each time with its own id.
    outbox = [f"evt_{r[0]}" for r in s.db_query("SELECT id FROM event_outbox ORDER BY id")]
    assert fake.accepted_ids() == outbox
    first = [(h, b) for h, b in fake.requests if h["Simexit-Event-Id"] == outbox[0]]
    assert len(first) == 3
    assert len({b for _, b in first}) == 1  # the same bytes every time
    for headers, body in fake.requests:
        assert headers["Content-Type"] == "application/cloudevents+json"
        assert verify(hook["secret"], headers, body), headers
        event = json.loads(body)
        assert event["specversion"] == "1.0" and event["id"] == headers["Simexit-Event-Id"]
        assert event["source"] == "/simexit/operators/kcell"
        assert event["datacontenttype"] == "application/json"
    assert not verify("whsec_wrong", *fake.requests[-1])

    delivered = s.get("/v1/operators/kcell/webhook-deliveries?state=delivered",
                      token=s.keys["admin"]).json["items"]
    assert len(delivered) == len(outbox)
    oldest = delivered[-1]
    assert oldest["event_id"] == outbox[0] and oldest["attempts"] == 3


def test_nothing_is_lost_when_the_worker_is_killed_mid_delivery(simexit_no_worker, billing):
    s = simexit_no_worker
    fake = billing()
    hook = register(s, fake.url, [STATE_CHANGED])
    tid, _ = close_line(s, 2)
    run = s.worker(env={**FAST, "SIMEXIT_FAULT_KILL_AT": "deliver_webhook:after_post"})
    assert run.returncode == -signal.SIGKILL, run.stdout + run.stderr
    # The receiver got the event, simexit never recorded it: it is sent again.
    assert len(fake.requests) == 1 and pending_deliveries(s) > 0
    time.sleep(PAST_LEASE)
    run_worker_until_delivered(s)

    assert received_states(fake, tid) == state_path(s, tid)
    ids = [h["Simexit-Event-Id"] for h, _ in fake.requests]
    assert ids[0] == ids[1], ids  # the duplicate carries the same id
    assert fake.accepted_ids() == [
        f"evt_{r[0]}" for r in s.db_query("SELECT id FROM event_outbox ORDER BY id")]
    assert all(verify(hook["secret"], h, b) for h, b in fake.requests)


def test_dead_letters_are_listed_and_retried(simexit_no_worker, billing):
    s = simexit_no_worker
    fake = billing(["fail"] * 100)
    register(s, fake.url, [STATE_CHANGED])
    close_line(s, 2)
    run = s.worker(env={**FAST, "SIMEXIT_WEBHOOKS_MAX_ATTEMPTS": "1"})
    assert run.returncode == 0, run.stderr
    dead = s.get("/v1/operators/kcell/webhook-deliveries?state=dead",
                 token=s.keys["admin"]).json["items"]
    assert len(dead) == s.db_query("SELECT count(*) FROM event_outbox")[0][0] > 3
    assert all(d["last_error"] == "http_status: the endpoint answered 500" for d in dead)
    cli = s.cli("webhooks", "deliveries", "--operator", "kcell", "--state", "dead").stdout
    assert cli.count(" dead ") == len(dead), cli

    fake.script.clear()
    oldest = dead[-1]
    r = s.post(f"/v1/operators/kcell/webhook-deliveries/{oldest['id']}/retry",
               token=s.keys["admin"])
    assert r.status == 200 and r.json["state"] == "pending", r
    run_worker_until_delivered(s)
    assert fake.requests[-1][0]["Simexit-Event-Id"] == oldest["event_id"]
    again = s.get("/v1/operators/kcell/webhook-deliveries?state=dead",
                  token=s.keys["admin"]).json["items"]
    assert len(again) == len(dead) - 1
    r = s.post(f"/v1/operators/kcell/webhook-deliveries/{oldest['id']}/retry",
               token=s.keys["admin"])
    assert r.status == 409 and r.json["code"] == "delivery_not_dead", r
    # The CLI retries too.
    out = s.cli("webhooks", "retry", "--operator", "kcell", str(again[0]["id"])).stdout
    assert "pending again" in out
    r = s.post("/v1/operators/kcell/webhook-deliveries/999999/retry", token=s.keys["admin"])
    assert r.status == 404 and r.json["code"] == "webhook_delivery_not_found", r


@pytest.mark.parametrize("url, types, code", [
    ("ftp://127.0.0.1:9/x", None, "invalid_webhook_url"),
    ("127.0.0.1:9/x", None, "invalid_webhook_url"),
    ("http://user:pw@127.0.0.1:9/x", None, "invalid_webhook_url"),
    ("https://billing.example/events", None, "webhook_tls_unsupported"),
    ("http://127.0.0.1:{port}/v1/health", None, "webhook_points_at_self"),
    ("http://localhost:{port}/", None, "webhook_points_at_self"),
    ("http://127.0.0.1:9/x", ["kz.simexit.nothing"], "unknown_event_type"),
])
def test_bad_webhooks_are_refused_and_change_nothing(simexit_no_worker, url, types, code):
    s = simexit_no_worker
    before = s.snapshot("webhook_endpoints", "webhook_deliveries", "event_outbox")
    body = {"url": url.format(port=s.port)}
    if types is not None:
        body["event_types"] = types
    r = s.post("/v1/operators/kcell/webhooks", body, token=s.keys["admin"])
    assert r.status == 400 and r.json["code"] == code, r
    assert s.snapshot("webhook_endpoints", "webhook_deliveries", "event_outbox") == before
    cli = s.cli("webhooks", "add", "--operator", "kcell", "--url", url.format(port=s.port),
                *sum((["--event-type", t] for t in types or []), []), check=False)
    assert cli.returncode == 1 and f"({code})" in cli.stderr, cli.stderr
    assert s.snapshot("webhook_endpoints", "webhook_deliveries", "event_outbox") == before


def test_webhooks_are_an_operator_admins_and_removed_ones_get_nothing(simexit_no_worker, billing):
    s = simexit_no_worker
    fake = billing()
    # An operator's own API key and its store agents do not manage webhooks.
    r = s.post("/v1/operators/kcell/webhooks", {"url": fake.url}, token=s.keys["kcell"])
    assert r.status == 403 and r.json["code"] == "insufficient_role", r
    r = s.post("/v1/operators/kcell/webhooks", {"url": fake.url},
               token=s.staff_token("kcell.store"))
    assert r.status == 403 and r.json["code"] == "insufficient_role", r
    hook = register(s, fake.url)
    r = s.request("DELETE", f"/v1/operators/kcell/webhooks/{hook['id']}", token=s.keys["admin"])
    assert r.status == 200, r
    r = s.request("DELETE", f"/v1/operators/kcell/webhooks/{hook['id']}", token=s.keys["admin"])
    assert r.status == 404 and r.json["code"] == "webhook_not_found", r
    close_line(s, 2)
    run = s.worker(env=FAST)
    assert run.returncode == 0
    assert fake.requests == []
    assert s.db_query("SELECT count(*) FROM webhook_deliveries")[0][0] == 0
    assert s.db_query("SELECT count(*) FROM event_outbox")[0][0] > 3
