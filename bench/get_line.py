#!/usr/bin/python3
"""GET /v1/lines/{msisdn} through `simexit serve` against nginx serving the
same response body as a static file, on 127.0.0.1, both loaded by wrk with the
same threads, connections and duration, alternating within each round
(bench/README.md, "GET line"). Stdlib only; needs Debian's nginx and wrk.

usage: get_line.py --simexit BIN --work-dir DIR --entry FILE
                   [--rounds R] [--seconds S] [--connections C]
"""

import argparse
import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import benchlib  # noqa: E402

NAME = "get_line"
WHAT = "GET /v1/lines/{msisdn} (`simexit serve`, operator key) vs nginx serving the same body as a static file"
TARGET = 0.5


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url, headers, timeout=30):
    deadline = time.monotonic() + timeout
    while True:
        try:
            req = urllib.request.Request(url, headers=headers)
            with urllib.request.urlopen(req, timeout=2) as r:
                return r.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def start_simexit(binary, work):
    port = free_port()
    config = work / "simexit.toml"
    config.write_text("\n".join([
        "[server]", 'listen = "127.0.0.1"', f"port = {port}",
        # The per-address and per-credential limits would answer 429 to the
        # load client: the rate measured is that of answering.
        "requests_per_second_per_address = 0", "requests_per_second_per_credential = 0",
        "[store]", f'path = "{work / "simexit.db"}"',
        "[hlr]", 'kind = "none"',
        "[sms]", f'sink_path = "{work / "sms.log"}"',
        "[worker]", "enabled = false",
        "[secrets]", f'dir = "{work / "secrets"}"',
        "[log]", 'level = "warn"',  # info logs a line per request
        "",
    ]))

    def cli(*args):
        return subprocess.run([str(binary), "--config", str(config), *args], cwd=work,
                              capture_output=True, text=True, timeout=120, check=True).stdout

    cli("migrate")
    out = cli("demo")
    key = re.search(r"\(kcell\)\s+operator API key: (sk_\S+)", out).group(1)
    con = sqlite3.connect(work / "simexit.db")
    try:
        msisdn = con.execute(
            "SELECT l.msisdn FROM lines l JOIN operators o ON o.id = l.operator_id "
            "WHERE o.code = 'kcell' ORDER BY l.id LIMIT 1").fetchone()[0]
    finally:
        con.close()
    log = open(work / "serve.log", "w")
    proc = subprocess.Popen([str(binary), "--config", str(config), "serve"], cwd=work,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1/lines/{msisdn.replace('+', '%2B')}"
    headers = {"Authorization": f"Bearer {key}"}
    body = wait_http(url, headers)
    return proc, url, headers, body


def start_nginx(work, body):
    root = work / "www"
    root.mkdir()
    (root / "line.json").write_bytes(body)
    port = free_port()
    conf = work / "nginx.conf"
    conf.write_text(f"""user root;
worker_processes auto;
daemon off;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {work}/client_body;
  proxy_temp_path {work}/proxy;
  fastcgi_temp_path {work}/fastcgi;
  uwsgi_temp_path {work}/uwsgi;
  scgi_temp_path {work}/scgi;
  keepalive_requests 1000000;
  server {{
    listen 127.0.0.1:{port};
    location / {{ root {root}; default_type application/json; }}
  }}
}}
""")
    proc = subprocess.Popen(["nginx", "-e", str(work / "nginx-error.log"), "-p", str(work),
                             "-c", str(conf)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/line.json"
    got = wait_http(url, {})
    if got != body:
        raise RuntimeError("nginx serves other bytes than simexit's answer")
    return proc, url


def wrk(url, headers, seconds, connections, threads):
    cmd = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    out = subprocess.run(cmd + [url], capture_output=True, text=True, check=True,
                         timeout=seconds + 60).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rate = float(re.search(r"Requests/sec:\s*([\d.]+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if bad:
        raise RuntimeError(f"{url}: {bad.group(1)} answers were not 2xx")
    return requests, rate


def stop(proc):
    if proc and proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--simexit", required=True)
    ap.add_argument("--work-dir", required=True)
    ap.add_argument("--entry", required=True)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--threads", type=int, default=2)
    a = ap.parse_args()
    common = dict(path=a.entry, name=NAME, what=WHAT, target=TARGET)
    if not Path(a.simexit).is_file():
        benchlib.write_entry(**common, status="not built", detail=f"{a.simexit} is missing")
        return 0
    work = Path(a.work_dir)
    work.mkdir(parents=True, exist_ok=True)
    serve = nginx = None
    try:
        serve, url, headers, body = start_simexit(a.simexit, work)
        nginx, static_url = start_nginx(work, body)
        ratios, rates, n = [], [], 0
        for r in range(a.rounds):
            _, base = wrk(static_url, {}, a.seconds, a.connections, a.threads)
            count, rate = wrk(url, headers, a.seconds, a.connections, a.threads)
            ratios.append(rate / base if base else 0.0)
            rates.append({"measured": rate, "baseline": base})
            n = max(n, count)
            print(f"  round {r + 1}: simexit {rate:.0f}/s nginx {base:.0f}/s "
                  f"ratio {ratios[-1]:.3f}", flush=True)
        benchlib.write_entry(**common, n=n, unit="requests", ratios=ratios, rates=rates,
                             extra={"seconds": a.seconds, "connections": a.connections,
                                    "wrk_threads": a.threads, "body_bytes": len(body)})
    except (OSError, RuntimeError, subprocess.SubprocessError, AttributeError) as e:
        benchlib.write_entry(**common, status="failed", detail=str(e)[-500:])
    finally:
        stop(serve)
        stop(nginx)
    return 0


if __name__ == "__main__":
    sys.exit(main())
