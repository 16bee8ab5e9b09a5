#!/usr/bin/python3
"""End-to-end SMS throughput of simexit against osmo-msc's SMSC, as a ratio
against bare submit_sm loops to the same SMSC measured in the same run.

Phases (each sends N short GSM 7-bit messages to never-attached numbers):

  baseline_sequential  one bound SMPP connection (tests/support/smpp_test_client),
                       submit_sm, wait for its submit_sm_resp, next one.
  baseline_window      the same connection, up to WINDOW submit_sm outstanding
                       (WINDOW = simexit's [smsc] window), the SMSC's own limit.
  simexit_steady       `simexit serve` (1 worker thread) running and bound; N rows
                       queued in one transaction; timed from that commit until
                       all N rows are 'submitted'. The ratio to baseline_window,
                       per round, is the number bench/run.sh reports.
  simexit_worker       N queued rows in simexit's outbox (sms_messages 'queued' +
                       send_sms jobs, inserted in one transaction), then
                       `simexit worker --until-idle`: timed from process start
                       until it exits, all N rows must then be 'submitted'.
  simexit_serve        the same through `simexit serve` with [worker] threads = T,
                       timed from process start until all N rows are 'submitted'
                       (skipped when T is 0).

osmo-msc's SMS rows from each phase are deleted before the next one (a backlog
stalls its queue; see docs/testing.md and the lab notes).

Prints a table, writes a JSON report. Exit status 0 when every phase sent all N
messages with ESME_ROK, 1 otherwise. Stdlib only (Debian's /usr/bin/python3).

Every round runs baseline_window then simexit_steady; the other phases run
once after the rounds (baseline_sequential with --sequential, simexit_serve
with --serve-threads T > 0).

usage: sms_throughput.py --msc-run-dir DIR [--messages N] [--rounds R] [--out FILE]
                         [--entry FILE]
"""

import argparse
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))
import smpp_test_client as smpp  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
import benchlib  # noqa: E402

ENTRY_NAME = "sms"
ENTRY_WHAT = ("SMS outbox -> submit_sm_resp (`simexit serve`, bound) vs bare windowed submit_sm "
              "loop, same osmo-msc SMSC and window")

PREFIX = "7701"  # +7 701 ... (Kcell range); the 5th digit tells the phase apart
SOURCE = "Kcell"


def find_simexit():
    if os.environ.get("SIMEXIT_BIN"):
        return Path(os.environ["SIMEXIT_BIN"]).resolve()
    for sub in ("release", "dev"):
        candidate = ROOT / "build" / sub / "simexit"
        if candidate.is_file():
            return candidate
    sys.exit("sms_throughput.py: no simexit binary (build/release or build/dev; or SIMEXIT_BIN)")


def read_env(path):
    return dict(line.split("=", 1) for line in Path(path).read_text().splitlines() if "=" in line)


def number(phase_digit, i):
    """11-digit MSISDN without '+': 7701 <phase digit> <6-digit index>."""
    return f"{PREFIX}{phase_digit}{i:06d}"


def text(i):
    return f"simexit bench {i:06d}"


def delete_msc_rows(sms_db):
    con = sqlite3.connect(sms_db, timeout=10)
    try:
        n = con.execute("DELETE FROM SMS WHERE dest_addr LIKE ?", (PREFIX + "%",)).rowcount
        con.commit()
        return n
    finally:
        con.close()


def count_msc_rows(sms_db, phase_digit):
    con = sqlite3.connect(f"file:{sms_db}?mode=ro", uri=True, timeout=10)
    try:
        return con.execute("SELECT count(*) FROM SMS WHERE dest_addr LIKE ?",
                           (f"{PREFIX}{phase_digit}%",)).fetchone()[0]
    finally:
        con.close()


def bound_client(env):
    client = smpp.SmppClient(env["SMPP_HOST"], int(env["SMPP_PORT"]), timeout=10.0)
    status = client.bind_transceiver(env["SMPP_SYSTEM_ID"], env["SMPP_PASSWORD"])
    if status != 0:
        client.close()
        raise RuntimeError(f"bind_transceiver: status {status:#x}")
    return client


def baseline_sequential(env, n, digit):
    with bound_client(env) as client:
        bad = 0
        t0 = time.perf_counter()
        for i in range(n):
            status, _ = client.submit_text(number(digit, i), text(i), source=SOURCE,
                                           registered_delivery=1)
            bad += status != 0
        elapsed = time.perf_counter() - t0
        client.unbind()
    return {"ok": n - bad, "failed": bad, "seconds": elapsed}


def submit_body(destination, i):
    """The submit_sm body submit_text builds (7-bit, alphanumeric source, receipt)."""
    sm = bytes(smpp.gsm7_encode(text(i)))
    return (smpp.cstring("") + bytes([5, 0]) + smpp.cstring(SOURCE)
            + bytes([1, 1]) + smpp.cstring(destination)
            + bytes([0, 0, 0]) + smpp.cstring("") + smpp.cstring("")
            + bytes([1, 0, 0, 0, len(sm)]) + sm)


def baseline_window(env, n, digit, window, timeout):
    """Up to `window` submit_sm outstanding on one connection. Uses the test
    client's framing (_send_pdu/_read_pdu/_dispatch): it has no windowed call."""
    with bound_client(env) as client:
        outstanding = set()
        sent = ok = bad = 0
        t0 = time.perf_counter()
        deadline = time.monotonic() + timeout
        while ok + bad < n:
            while sent < n and len(outstanding) < window:
                outstanding.add(client._send_pdu(smpp.SUBMIT_SM,
                                                 submit_body(number(digit, sent), sent)))
                sent += 1
            pdu = client._read_pdu(deadline)
            if pdu is None:
                raise TimeoutError(f"windowed baseline: {len(outstanding)} responses missing")
            if client._dispatch(pdu):
                continue
            command_id, status, seq, _ = pdu
            if command_id in (smpp.SUBMIT_SM | smpp.RESP, smpp.GENERIC_NACK) and seq in outstanding:
                outstanding.discard(seq)
                if status == 0:
                    ok += 1
                else:
                    bad += 1
        elapsed = time.perf_counter() - t0
        client.unbind()
    return {"ok": ok, "failed": bad, "seconds": elapsed}


class Install:
    """A fresh simexit data dir whose [smsc.kcell] is osmo-msc's SMSC."""

    def __init__(self, simexit, work_dir, env, window, threads):
        self.bin = simexit
        self.dir = Path(work_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db = self.dir / "simexit.db"
        self.config = self.dir / "simexit.toml"
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.config.write_text("\n".join([
            "[server]",
            'listen = "127.0.0.1"',
            f"port = {port}",
            "[store]",
            f'path = "{self.db}"',
            "[hlr]",
            'kind = "none"',  # no provisioning: only the outbox is measured
            "[sms]",
            f'sink_path = "{self.dir / "sms.log"}"',
            "[worker]",
            "enabled = true",
            "poll_interval_ms = 50",
            f"threads = {max(1, threads)}",
            "[secrets]",
            f'dir = "{self.dir / "secrets"}"',
            "[log]",
            'level = "warn"',  # info logs one line per job
            "[smsc.kcell]",
            f'host = "{env["SMPP_HOST"]}"',
            f'port = {env["SMPP_PORT"]}',
            f'system_id = "{env["SMPP_SYSTEM_ID"]}"',
            f'password = "{env["SMPP_PASSWORD"]}"',
            f'source_addr = "{SOURCE}"',
            "rate_per_second = 100000",  # default 50/s would be the bottleneck measured
            f"window = {window}",
            "response_timeout_ms = 10000",
            "",
        ]))
        self.cli("migrate")
        self.cli("demo")  # creates operator kcell (prints an HLR warning with kind none)
        self.operator_id = self.query("SELECT id FROM operators WHERE code = 'kcell'")[0][0]

    def cli(self, *args, timeout=60):
        r = subprocess.run([str(self.bin), "--config", str(self.config), *args], cwd=self.dir,
                           capture_output=True, text=True, timeout=timeout)
        if r.returncode != 0:
            raise RuntimeError(f"simexit {' '.join(args)} exited {r.returncode}:\n"
                               f"{r.stdout[-2000:]}\n{r.stderr[-2000:]}")
        return r

    def query(self, sql, *params):
        con = sqlite3.connect(self.db, timeout=10)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()

    def queue(self, n, digit):
        """N queued SMS + their send_sms jobs, as SmsOutbox::Queue writes them."""
        now = int(time.time())
        ids = []
        con = sqlite3.connect(self.db, timeout=10)
        try:
            with con:
                for i in range(n):
                    cur = con.execute(
                        "INSERT INTO sms_messages (operator_id, termination_id, recipient, kind, "
                        "language, text, state, attempts, message_ids, parts, last_error, "
                        "created_at, updated_at) VALUES (?, NULL, ?, 'bench', 'en', ?, 'queued', "
                        "0, '', 0, '', ?, ?)",
                        (self.operator_id, "+" + number(digit, i), text(i), now, now))
                    sms_id = cur.lastrowid
                    ids.append(sms_id)
                    con.execute(
                        "INSERT INTO jobs (kind, payload, dedupe_key, state, run_at, attempts, "
                        "max_attempts, lease_owner, lease_until, last_error, created_at, "
                        "updated_at) VALUES ('send_sms', ?, ?, 'pending', 0, 0, 10, '', 0, '', "
                        "?, ?)",
                        (json.dumps({"sms_id": sms_id}), f"send_sms:{sms_id}", now, now))
        finally:
            con.close()
        return ids

    def states(self, digit):
        rows = self.query("SELECT state, count(*) FROM sms_messages WHERE recipient LIKE ? "
                          "GROUP BY state", f"+{PREFIX}{digit}%")
        return dict(rows)

    def sent(self, digit):
        """Rows the SMSC accepted: submitted (or already delivered/failed by receipt)."""
        return self.query("SELECT count(*) FROM sms_messages WHERE recipient LIKE ? AND "
                          "state != 'queued' AND message_ids != ''", f"+{PREFIX}{digit}%")[0][0]


def idle_worker_seconds(install, timeout):
    """Wall time of `simexit worker --until-idle` with no job due: the fixed
    start-up and shut-down cost inside the simexit_worker phase's time."""
    t0 = time.perf_counter()
    install.cli("worker", "--until-idle", timeout=timeout)
    return time.perf_counter() - t0


def simexit_worker(install, n, digit, timeout):
    idle = idle_worker_seconds(install, timeout)
    install.queue(n, digit)
    t0 = time.perf_counter()
    r = subprocess.run([str(install.bin), "--config", str(install.config), "worker",
                        "--until-idle"], cwd=install.dir, capture_output=True, text=True,
                       timeout=timeout)
    elapsed = time.perf_counter() - t0
    if r.returncode != 0:
        raise RuntimeError(f"simexit worker exited {r.returncode}:\n{r.stderr[-2000:]}")
    ok = install.sent(digit)
    return {"ok": ok, "failed": n - ok, "seconds": elapsed, "states": install.states(digit),
            "idle_run_seconds": idle}


def simexit_serve(install, n, digit, timeout):
    install.queue(n, digit)
    log = open(install.dir / "serve.log", "w")
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(install.bin), "--config", str(install.config), "serve"],
                            cwd=install.dir, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            ok = install.sent(digit)
            if ok >= n:
                break
            if proc.poll() is not None:
                raise RuntimeError(f"simexit serve exited {proc.returncode} "
                                   f"(log: {install.dir / 'serve.log'})")
            if time.monotonic() > deadline:
                break
            time.sleep(0.01)
        elapsed = time.perf_counter() - t0
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    return {"ok": ok, "failed": n - ok, "seconds": elapsed, "states": install.states(digit)}


def simexit_steady(install, n, digit, timeout):
    """`simexit serve` already running and bound (a warm-up message sent
    through it first), then N rows queued in one transaction: timed from that
    commit until all N rows are 'submitted', i.e. outbox -> submit_sm_resp,
    as the windowed baseline is timed from its first submit_sm to its last
    response on a bound connection."""
    log = open(install.dir / "serve.log", "w")
    proc = subprocess.Popen([str(install.bin), "--config", str(install.config), "serve"],
                            cwd=install.dir, stdout=log, stderr=subprocess.STDOUT)
    try:
        warm_digit = 5
        install.queue(1, warm_digit)
        deadline = time.monotonic() + timeout
        while install.sent(warm_digit) < 1:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"simexit serve did not send the warm-up message "
                                   f"(log: {install.dir / 'serve.log'})")
            time.sleep(0.01)
        con = sqlite3.connect(install.db, timeout=10)
        try:
            ids = install.queue(n, digit)
            deadline = time.monotonic() + timeout

            def queued(sms_id):
                return con.execute("SELECT state = 'queued' FROM sms_messages WHERE id = ?",
                                   (sms_id,)).fetchone()[0]

            def left():
                return con.execute("SELECT count(*) FROM sms_messages WHERE id BETWEEN ? AND ? "
                                   "AND state = 'queued'", (ids[0], ids[-1])).fetchone()[0]

            # Primary-key probes every millisecond, so that the poller takes
            # next to no CPU from simexit (2 cores): the first row leaving
            # 'queued' starts the clock (the worker's pick-up, within its poll
            # interval, is not counted), the last one's acknowledgement is
            # when the count is checked.
            while queued(ids[0]) and time.monotonic() < deadline:
                time.sleep(0.001)
            t0 = time.perf_counter()
            counted = left()  # what is sent from t0 on
            while time.monotonic() < deadline:
                if not queued(ids[-1]) and left() == 0:
                    break
                time.sleep(0.001)
            elapsed = time.perf_counter() - t0
        finally:
            con.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
    ok = install.sent(digit)
    # Scaled to N so that messages_per_second = counted / elapsed.
    seconds = elapsed * n / counted if counted else float("inf")
    return {"ok": ok, "failed": n - ok, "seconds": seconds, "states": install.states(digit),
            "timed_messages": counted}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--msc-run-dir", required=True, help="osmo_msc.sh's RUN_DIR (msc.env)")
    ap.add_argument("--messages", type=int, default=int(os.environ.get("BENCH_MESSAGES", 2000)))
    ap.add_argument("--window", type=int, default=10, help="simexit's [smsc] window")
    ap.add_argument("--serve-threads", type=int,
                    default=int(os.environ.get("BENCH_SERVE_THREADS", 0)),
                    help="[worker] threads for the serve phase (0: skip it)")
    ap.add_argument("--timeout", type=float,
                    default=float(os.environ.get("BENCH_PHASE_TIMEOUT", 600)),
                    help="seconds per phase")
    ap.add_argument("--out", default=str(ROOT / "bench" / "sms_results.json"))
    ap.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)),
                    help="rounds of (windowed baseline, simexit worker)")
    ap.add_argument("--sequential", action="store_true",
                    help="also the sequential baseline (one submit_sm at a time)")
    ap.add_argument("--entry", help="also write bench/run.sh's entry JSON here")
    ap.add_argument("--steady-threads", type=int,
                    default=int(os.environ.get("BENCH_SMS_WORKER_THREADS", 1)),
                    help="[worker] threads of simexit_steady (default 1)")
    args = ap.parse_args()
    n = args.messages
    if not 1 <= n <= 999999:
        sys.exit("sms_throughput.py: --messages must be 1..999999")

    run_dir = Path(args.msc_run_dir)
    env = read_env(run_dir / "msc.env")
    sms_db = env["SMS_DB"]
    simexit = find_simexit()
    deleted = delete_msc_rows(sms_db)
    if deleted:
        print(f"deleted {deleted} old benchmark rows from {sms_db}")

    results = {}

    def record(name, digit, res):
        res["messages_per_second"] = res["ok"] / res["seconds"] if res["seconds"] > 0 else 0.0
        res["smsc_rows"] = count_msc_rows(sms_db, digit)
        results[name] = res
        print(f"  {name:<20} {res['ok']:>7} ok {res['failed']:>5} failed "
              f"{res['seconds']:8.2f} s {res['messages_per_second']:9.1f} msg/s"
              + (f" (idle run {res['idle_run_seconds']:.2f} s)" if "idle_run_seconds" in res else ""),
              flush=True)
        delete_msc_rows(sms_db)

    print(f"N = {n} messages per phase, {args.rounds} round(s); simexit = {simexit}", flush=True)
    # Each round: the windowed baseline, then simexit's worker, so that both
    # see the same load on the machine; the ratio is taken per round.
    rounds = []
    for r in range(args.rounds):
        record(f"baseline_window#{r + 1}", 8, baseline_window(env, n, 8, args.window, args.timeout))
        install = Install(simexit, run_dir / f"simexit-{r + 1}", env, args.window,
                          args.steady_threads)
        record(f"simexit_steady#{r + 1}", 7, simexit_steady(install, n, 7, args.timeout))
        win = results[f"baseline_window#{r + 1}"]["messages_per_second"]
        steady = results[f"simexit_steady#{r + 1}"]["messages_per_second"]
        rounds.append({"measured": steady, "baseline": win})
    # Start-up included: a fresh `simexit worker --until-idle` process.
    install = Install(simexit, run_dir / "simexit-worker", env, args.window, 1)
    record("simexit_worker", 4, simexit_worker(install, n, 4, args.timeout))
    if args.sequential:
        record("baseline_sequential", 9, baseline_sequential(env, n, 9))
    if args.serve_threads > 0:
        install = Install(simexit, run_dir / "simexit-serve", env, args.window, args.serve_threads)
        record("simexit_serve", 6, simexit_serve(install, n, 6, args.timeout))

    ratios = [x["measured"] / x["baseline"] if x["baseline"] else 0.0 for x in rounds]
    print()
    for k, v in enumerate(ratios):
        print(f"round {k + 1}: simexit_steady/baseline_window = {v:.3f}")
    last_window = rounds[-1]["baseline"]
    for name in ("simexit_worker", "simexit_serve"):
        if name in results and last_window:
            print(f"{name}/baseline_window (last round's baseline) = "
                  f"{results[name]['messages_per_second'] / last_window:.3f}")

    report = {
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "messages": n,
        "window": args.window,
        "serve_threads": args.serve_threads,
        "simexit": str(simexit),
        "cpus": os.cpu_count(),
        "phases": results,
        "ratios": ratios,
    }
    Path(args.out).write_text(json.dumps(report, indent=2) + "\n")
    print(f"wrote {args.out}")
    all_ok = all(r["ok"] == n and r["failed"] == 0 and r["smsc_rows"] == n
                 for r in results.values())
    if args.entry:
        extra = {"phases": results, "worker_threads": args.steady_threads}
        if all_ok:
            benchlib.write_entry(args.entry, ENTRY_NAME, ENTRY_WHAT, 0.9, n=n, unit="SMS",
                                 ratios=ratios, rates=rounds, extra=extra)
        else:
            benchlib.write_entry(args.entry, ENTRY_NAME, ENTRY_WHAT, 0.9, status="failed",
                                 detail="a phase did not get all messages accepted and stored",
                                 extra=extra)
    if not all_ok:
        print("FAILED: a phase did not get all messages accepted and stored by the SMSC")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
