"""Fixtures for simexit's integration tests: real osmo-hlr, real `simexit serve`
over HTTP on 127.0.0.1, a fresh SQLite database per test.

With SIMEXIT_TEST_PG=1 the same tests run on PostgreSQL 15 instead: the session
starts a throw-away server (tests/support/postgres.sh: initdb in a temp dir,
127.0.0.1, fsync on) and each installation gets a fresh database of its own
(store.url). db_query() and snapshot() read whichever store is in use (psycopg2
for PostgreSQL, Debian's python3-psycopg2), so tests never open the SQLite
file themselves; tests that are about SQLite itself skip with a reason
(`sqlite_only`).

Run through tests/integration/run.sh, which gives the run its own network
namespace (osmo-hlr's CTRL port 4259 is fixed) and uses Debian's python3.
"""

import json
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests" / "support") not in sys.path:
    sys.path.insert(0, str(ROOT / "tests" / "support"))
from pg_server import PgServer  # noqa: E402  (tests/support)

# SIMEXIT_TEST_PG=1: every installation's store is a fresh PostgreSQL database.
USE_PG = os.environ.get("SIMEXIT_TEST_PG") == "1"
sqlite_only = pytest.mark.skipif(USE_PG, reason="about the SQLite file itself (SIMEXIT_TEST_PG=1)")


_PG = None


def pg_server():
    global _PG
    if _PG is None:
        _PG = PgServer()
    return _PG


@pytest.fixture(scope="session", autouse=True)
def _stop_pg_server():
    yield
    if _PG is not None:
        _PG.stop()
SIMEXIT = Path(os.environ.get("SIMEXIT_BIN", ROOT / "build" / "dev" / "simexit")).resolve()
OSMO_HLR_SH = ROOT / "tests" / "support" / "osmo_hlr.sh"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HlrCtrl:
    """Minimal client of osmo-hlr's CTRL interface (IPA-framed), to read the
    HLR back independently of simexit's own adapter."""

    def __init__(self, port=4259):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.next_id = 1

    def _call(self, text):
        data = text.encode()
        self.sock.sendall(bytes([(len(data) + 1) >> 8, (len(data) + 1) & 0xFF, 0xEE, 0x00]) + data)
        header = self._read(3)
        length = (header[0] << 8) | header[1]
        body = self._read(length)
        return body[1:].decode()

    def _read(self, n):
        out = b""
        while len(out) < n:
            chunk = self.sock.recv(n - len(out))
            if not chunk:
                raise ConnectionError("osmo-hlr closed the CTRL connection")
            out += chunk
        return out

    def get(self, var):
        i = self.next_id
        self.next_id += 1
        return self._call(f"GET {i} {var}")

    def info(self, imsi):
        """The subscriber's info as a dict, or None when it does not exist."""
        reply = self.get(f"subscriber.by-imsi-{imsi}.info")
        if reply.startswith("ERROR"):
            return None
        fields = {}
        for line in reply.split("\n")[1:]:
            if "\t" in line:
                k, v = line.split("\t", 1)
                fields[k] = v
        return fields

    def close(self):
        self.sock.close()


@pytest.fixture(scope="session")
def hlr():
    """A real osmo-hlr on 127.0.0.1:4259 with its DB on tmpfs."""
    run_dir = tempfile.mkdtemp(prefix="simexit-it-hlr.", dir="/dev/shm")
    subprocess.run([str(OSMO_HLR_SH), "start", run_dir], check=True)
    ctrl = HlrCtrl()
    try:
        yield ctrl
    finally:
        ctrl.close()
        subprocess.run([str(OSMO_HLR_SH), "stop", run_dir], check=False)
        subprocess.run(["rm", "-rf", run_dir], check=False)


class Response:
    def __init__(self, status, body, headers):
        self.status = status
        self.text = body
        self.headers = headers
        try:
            self.json = json.loads(body) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return f"<{self.status} {self.text[:300]}>"


class Simexit:
    """One simexit installation: data dir, config, demo data, and (once
    started) a `simexit serve` process."""

    def __init__(self, data_dir, worker=True, pg=None):
        """`pg`: the PostgreSQL servers to use (pg_server.PgPair in the
        fail-over test); by default the session's server with
        SIMEXIT_TEST_PG=1, else SQLite."""
        self.dir = Path(data_dir)
        self.port = free_port()
        self.config = self.dir / "simexit.toml"
        self.db = self.dir / "simexit.db"
        self.sms_log = self.dir / "sms.log"
        self.pg = pg if pg is not None else (pg_server() if USE_PG else None)
        self.pg_database = self.pg.fresh_database() if self.pg else None
        store_url = [f'url = "{self.pg.url(self.pg_database)}"'] if self.pg else []
        self.config.write_text(
            "\n".join(
                [
                    "[server]",
                    'listen = "127.0.0.1"',
                    f"port = {self.port}",
                    "body_limit_bytes = 16384",
                    # The suite fires hundreds of requests a second from one
                    # address and key; the rate limits have their own tests
                    # (test_hostile_edge.py).
                    "requests_per_second_per_address = 0",
                    "requests_per_second_per_credential = 0",
                    "[store]",
                    f'path = "{self.db}"',
                    *store_url,
                    "[hlr]",
                    'kind = "osmo-hlr"',
                    "timeout_ms = 2000",
                    "[sms]",
                    f'sink_path = "{self.sms_log}"',
                    "[worker]",
                    f"enabled = {'true' if worker else 'false'}",
                    "poll_interval_ms = 100",
                    "backoff_base_seconds = 1",
                    "[secrets]",
                    f'dir = "{self.dir / "secrets"}"',
                    "[log]",
                    'level = "info"',
                    "",
                ]
            )
        )
        # What runs simexit's processes (e.g. nsenter into a mount namespace);
        # nothing: run it directly.
        self.launcher = []
        self.proc = None
        self.keys = {}
        self.lines = {}
        self.staff = {}  # "kcell.store" -> password (demo staff)
        self._staff_tokens = {}

    def cli(self, *args, env=None, check=True, timeout=60):
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        result = subprocess.run(
            [*self.launcher, str(SIMEXIT), "--config", str(self.config), *args],
            capture_output=True,
            text=True,
            env=full_env,
            timeout=timeout,
            cwd=self.dir,
        )
        if check and result.returncode != 0:
            raise AssertionError(
                f"simexit {' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
            )
        return result

    def demo(self):
        out = self.cli("demo").stdout
        for code, key in re.findall(r"\((\w+)\)\s+operator API key: (sk_\S+)", out):
            self.keys[code] = key
        self.keys["admin"] = re.search(r"Admin API key: (sk_\S+)", out).group(1)
        current = None
        for line in out.splitlines():
            m = re.search(r"\((\w+)\)\s+operator API key", line)
            if m:
                current = m.group(1)
                continue
            m = re.match(r"\s+staff (\S+)\s+(\S+)\s+password: (\S+)", line)
            if m and current:
                self.staff[m.group(1)] = m.group(3)
                continue
            m = re.match(
                r"\s+(\+7\d{10})\s+(\d+)\s+(physical|esim)\s+(\S+)\s+(\S+)\s+(\S+)"
                r"\s+(iin (\d{12})|passport ([A-Z]{3}) (\S+))\s+(.+?) \[(\w\w)\]",
                line,
            )
            if m and current:
                self.lines[m.group(1)] = {
                    "operator": current,
                    "iccid": m.group(2),
                    "main": m.group(4),
                    "bonus": m.group(5),
                    "charges": m.group(6),
                    "document_kind": "iin" if m.group(8) else "passport",
                    "document_number": m.group(8) or m.group(10),
                    "document_country": "KAZ" if m.group(8) else m.group(9),
                    "holder": m.group(11),
                    "language": m.group(12),
                }
        assert "lines provisioned in the HLR" in out, out
        return out

    def start(self):
        log = open(self.dir / "serve.log", "w")
        self.proc = subprocess.Popen(
            [*self.launcher, str(SIMEXIT), "--config", str(self.config), "serve"],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.dir,
        )
        deadline = time.time() + 15
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError("simexit serve exited:\n" + (self.dir / "serve.log").read_text())
            try:
                if self.request("GET", "/v1/health").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError("simexit serve did not answer /v1/health")

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    # The audit actions that end a sign-in code request's work after its
    # answer: the SMS went out (or failed), or the number is no customer's.
    SIGN_IN_CODE_OUTCOMES = ("otp_sent", "otp_send_failed", "otp_not_sent")

    def sign_in_code_outcomes(self):
        return self.db_query("SELECT count(*) FROM audit_log WHERE action IN (?, ?, ?)",
                             *self.SIGN_IN_CODE_OUTCOMES)[0][0]

    def request(self, method, path, body=None, token=None, headers=None, raw=None):
        """One HTTP request. A sign-in code's SMS is sent after the answer
        (docs/security.md); after a 202 to POST /v1/auth/otp this waits until
        that work is done, so tests read a settled SMS sink and database.
        Response.elapsed is the answer's own time, without that wait."""
        if method == "POST" and path == "/v1/auth/otp":
            outcomes = self.sign_in_code_outcomes()
            r = self._request(method, path, body, token, headers, raw)
            if r.status == 202:
                deadline = time.time() + 10
                while self.sign_in_code_outcomes() <= outcomes:
                    assert time.time() < deadline, "the sign-in code's SMS was not handled"
                    time.sleep(0.01)
            return r
        return self._request(method, path, body, token, headers, raw)

    def request_on(self, port, method, path, body=None, token=None, headers=None):
        """One HTTP request to this installation's `serve` process on `port`."""
        return self._request(method, path, body, token, headers, None, port=port)

    def _request(self, method, path, body, token, headers, raw, port=None):
        url = f"http://127.0.0.1:{port or self.port}{path}"
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        req = urllib.request.Request(url, data=data, method=method)
        if data is not None:
            req.add_header("Content-Type", "application/json")
        if token:
            req.add_header("Authorization", f"Bearer {token}")
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:
                r = Response(resp.status, resp.read().decode(), dict(resp.headers))
        except urllib.error.HTTPError as err:
            r = Response(err.code, err.read().decode(), dict(err.headers))
        r.elapsed = time.perf_counter() - start
        return r

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body=None, **kw):
        return self.request("POST", path, body=body, **kw)

    def sms(self, recipient=None):
        if not self.sms_log.exists():
            return []
        msgs = [json.loads(l) for l in self.sms_log.read_text().splitlines() if l.strip()]
        return [m for m in msgs if recipient is None or m["recipient"] == recipient]

    def sign_in(self, msisdn):
        """Signs in as the holder of `msisdn` with the code the SMS sink got."""
        before = len(self.sms(msisdn))
        r = self.post("/v1/auth/otp", {"msisdn": msisdn})
        assert r.status == 202, r
        msgs = self.sms(msisdn)
        assert len(msgs) == before + 1, msgs
        code = re.search(r"\b(\d{6})\b", msgs[-1]["text"]).group(1)
        r = self.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": code})
        assert r.status == 200, r
        return r.json["token"]

    def wait_state(self, termination_id, token, states, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            r = self.get(f"/v1/terminations/{termination_id}", token=token)
            assert r.status == 200, r
            if r.json["state"] in states:
                return r.json
            time.sleep(0.1)
        raise AssertionError(f"termination stayed {r.json['state']}, wanted {states}")

    def db_query(self, sql, *params):
        """Rows of `sql` (placeholders `?`) as a list of tuples, on the store in
        use; a write commits."""
        if self.pg_database:
            conn = self.pg.connect(self.pg_database)
            try:
                cur = conn.cursor()
                cur.execute(sql.replace("%", "%%").replace("?", "%s"), params)
                return [tuple(r) for r in cur.fetchall()] if cur.description else []
            finally:
                conn.close()
        with sqlite3.connect(self.db) as conn:
            return conn.execute(sql, params).fetchall()

    def imsi_of(self, msisdn):
        return self.db_query("SELECT imsi FROM lines WHERE msisdn = ?", msisdn)[0][0]

    def staff_token(self, username):
        """A bearer token for demo staff `username` ("kcell.store"), signed in
        once per installation with the password `simexit demo` printed."""
        if username not in self._staff_tokens:
            r = self.post("/v1/staff/login",
                          {"username": username, "password": self.staff[username]})
            assert r.status == 200, r
            self._staff_tokens[username] = r.json["token"]
        return self._staff_tokens[username]

    def holder_document(self, msisdn, **changes):
        """The registered holder's own document of demo line `msisdn`, as a
        store agent would type it (passports get an expiry in the future)."""
        line = self.lines[msisdn]
        doc = {"kind": line["document_kind"], "number": line["document_number"],
               "full_name": line["holder"]}
        if line["document_kind"] == "passport":
            doc["country"] = line["document_country"]
            doc["expiry_date"] = "2034-05-31"
        doc.update(changes)
        return doc

    def demo_line(self, operator, n):
        """The MSISDN of demo line `n` (0..11) of `operator` (in `simexit demo`'s
        order: n % 4 == 0 refund, 1 small remainder, 2 bonus only, 3 debt)."""
        return [m for m, l in self.lines.items() if l["operator"] == operator][n]

    def worker(self, env=None, timeout=60):
        """Runs `simexit worker --until-idle` once; returns the CompletedProcess
        (returncode -9 when it was SIGKILLed) without checking it."""
        return self.cli("worker", "--until-idle", env=env, check=False, timeout=timeout)

    def tables(self):
        """The names of every table of the store in use, sorted."""
        if self.pg_database:
            return [r[0] for r in self.db_query(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name")]
        return [r[0] for r in self.db_query(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name")]

    def snapshot(self, *tables):
        """Every row of each named table (all tables when none are named), as
        {table: sorted list of rows}. Two equal snapshots prove a request
        changed nothing in those tables."""
        if self.pg_database:
            names = tables or [t for t in self.tables() if t not in ("audit_log", "audit_chain")]
            return {t: sorted(self.db_query(f'SELECT * FROM "{t}"'), key=repr) for t in names}
        conn = sqlite3.connect(self.db)
        try:
            if not tables:
                # The audit trail records refused attempts by design (sign-in
                # attempts must all be there), so it is not part of "nothing
                # changed", nor is its chain (one link a record, docs/audit.md);
                # tests that care read audit_log themselves.
                tables = [r[0] for r in conn.execute(
                    "SELECT name FROM sqlite_master WHERE type = 'table' "
                    "AND name NOT LIKE 'sqlite_%' AND name NOT IN ('audit_log', 'audit_chain') "
                    "ORDER BY name")]
            return {t: sorted(conn.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr)
                    for t in tables}
        finally:
            conn.close()

    def wait_jobs_idle(self, timeout=20):
        """Waits until no job is due or running (the in-process worker has
        caught up), so a snapshot is not racing the worker."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            busy = self.db_query(
                "SELECT count(*) FROM jobs WHERE state = 'running' "
                "OR (state = 'pending' AND run_at <= ?)", int(time.time()))[0][0]
            if busy == 0:
                return
            time.sleep(0.1)
        raise AssertionError("jobs still due or running: "
                             + repr(self.db_query("SELECT id, kind, state, last_error FROM jobs")))


@pytest.fixture
def simexit(hlr, tmp_path):
    """simexit serving on a free port with demo data, its job worker running."""
    s = Simexit(tmp_path, worker=True)
    s.demo()
    s.start()
    try:
        yield s
    finally:
        s.stop()


@pytest.fixture
def simexit_no_worker(hlr, tmp_path):
    """simexit serving without a worker: tests run `simexit worker` themselves."""
    s = Simexit(tmp_path, worker=False)
    s.demo()
    s.start()
    try:
        yield s
    finally:
        s.stop()


# ---------------------------------------------------------------------------
# osmo-msc (SMSC over SMPP, CTRL, SGs) for SMS and detach tests.
# Its osmo-hlr is the one the `hlr` fixture started (same fixed ports), so
# both fixtures can be used in one session. See docs/testing.md.
# ---------------------------------------------------------------------------
import sys as _sys  # noqa: E402

_SUPPORT = ROOT / "tests" / "support"
if str(_SUPPORT) not in _sys.path:
    _sys.path.insert(0, str(_SUPPORT))
import msc_sms_db  # noqa: E402
import osmo_ctrl  # noqa: E402
import sgs_peer as _sgs_peer  # noqa: E402
import smpp_test_client  # noqa: E402

OSMO_MSC_SH = _SUPPORT / "osmo_msc.sh"


class Msc:
    """A running osmo-msc (started by tests/support/osmo_msc.sh --no-hlr).

    smpp_host/smpp_port/system_id/password: its SMPP server and the one ESME
    allowed to bind; sms_db: its SMS store (read with sms_rows); ctrl: MSC CTRL
    (osmo_ctrl.MscCtrl, 4255); hlr: HLR CTRL (osmo_ctrl.HlrCtrl, 4259);
    sgs_peer(): a new SGs peer (MME + phone), smpp(): a new bound SMPP client;
    both are closed at the end of the session."""

    def __init__(self, run_dir, env):
        self.run_dir = Path(run_dir)
        self.smpp_host = env["SMPP_HOST"]
        self.smpp_port = int(env["SMPP_PORT"])
        self.system_id = env["SMPP_SYSTEM_ID"]
        self.password = env["SMPP_PASSWORD"]
        self.sms_db = Path(env["SMS_DB"])
        self.log = self.run_dir / "osmo-msc.log"
        self.ctrl = osmo_ctrl.MscCtrl(port=int(env["MSC_CTRL_PORT"]))
        self.hlr = osmo_ctrl.HlrCtrl(port=int(env["HLR_CTRL_PORT"]))
        self._sgs_port = int(env["SGS_PORT"])
        self._framed = env.get("SGS_FRAMED", "1") == "1"
        self._closables = []

    def sgs_peer(self):
        peer = _sgs_peer.SgsPeer(port=self._sgs_port, framed=self._framed)
        self._closables.append(peer)
        return peer

    def smpp(self, bind=True):
        client = smpp_test_client.SmppClient(self.smpp_host, self.smpp_port)
        self._closables.append(client)
        if bind:
            status = client.bind_transceiver(self.system_id, self.password)
            assert status == 0, f"bind_transceiver as {self.system_id}: {status:#x}"
        return client

    def reconnect(self):
        """New CTRL connections, after osmo-msc was restarted by a test."""
        for c in (self.ctrl, self.hlr):
            try:
                c.close()
            except OSError:
                pass
        self.ctrl = osmo_ctrl.MscCtrl()
        self.hlr = osmo_ctrl.HlrCtrl()

    def sms_rows(self, msisdn):
        """Rows of osmo-msc's SMS table to `msisdn`, decoded (msc_sms_db.read_rows)."""
        return msc_sms_db.read_rows(self.sms_db, msisdn)

    def close(self):
        for c in self._closables + [self.ctrl, self.hlr]:
            try:
                c.close()
            except OSError:
                pass


@pytest.fixture(scope="session")
def msc(hlr):
    """A real osmo-msc on 127.0.0.1 (SMPP 2775, CTRL 4255, SGs 29118 via the
    sctp2tcp shim), attached to the `hlr` fixture's osmo-hlr, SMS DB on tmpfs."""
    run_dir = tempfile.mkdtemp(prefix="simexit-it-msc.", dir="/dev/shm")
    subprocess.run([str(OSMO_MSC_SH), "start", run_dir, "--no-hlr"], check=True)
    env = dict(line.split("=", 1) for line in
               (Path(run_dir) / "msc.env").read_text().splitlines() if "=" in line)
    m = Msc(run_dir, env)
    try:
        yield m
    finally:
        m.close()
        subprocess.run([str(OSMO_MSC_SH), "stop", run_dir], check=False)
        subprocess.run(["rm", "-rf", run_dir], check=False)
