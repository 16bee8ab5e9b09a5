"""Helpers for tests that run an installation as several `simexit` processes
on many lines (test_many_instances.py, test_failover.py): bulk lines with
holders of their own, imported with `simexit import lines` and provisioned in
osmo-hlr, their termination requests, and the processes themselves."""

import concurrent.futures
import os
import re
import signal
import subprocess
import threading
import time

import osmo_ctrl
from bad_input_helpers import luhn_digit
from conftest import SIMEXIT

IMPORT_HEADER = ("operator,msisdn,iccid,imsi,kind,main_balance,holder_name,document_kind,"
                 "document_number,document_country,language")


def letters(n):
    """n written in letters (names take no digits): 0 -> AAA, 1 -> AAB, ..."""
    out = ""
    for _ in range(3):
        n, d = divmod(n, 26)
        out = chr(ord("A") + d) + out
    return out


def line(n):
    """Line n of the bulk: no money either way, a passport holder of its own."""
    iccid = f"897701880000{n:06d}"
    return {
        "msisdn": f"+7701880{n:04d}",
        "iccid": iccid + luhn_digit(iccid),
        "imsi": f"00101880{n:07d}",
        "passport": f"N8{n:07d}",
        "name": "HOLDER " + letters(n),
    }


def import_lines(s, tmp_path, lines):
    rows = [f"kcell,{l['msisdn']},{l['iccid']},{l['imsi']},physical,0,{l['name']},passport,"
            f"{l['passport']},DEU,en" for l in lines]
    csv = tmp_path / "bulk.csv"
    csv.write_text("\n".join([IMPORT_HEADER, *rows]) + "\n")
    s.cli("import", "lines", str(csv))


def provision(lines):
    """The operator's HLR holds each imported line (as its provisioning would)."""
    with osmo_ctrl.HlrCtrl() as ctrl:
        for l in lines:
            ctrl.create(l["imsi"], l["msisdn"].lstrip("+"))


def request_body(l):
    return {"msisdn": l["msisdn"], "channel": "store",
            "document": {"kind": "passport", "number": l["passport"], "country": "DEU",
                         "full_name": l["name"], "expiry_date": "2034-05-31"}}


class Process:
    """A `simexit` process of the installation, with a config of its own."""

    def __init__(self, s, name, command, port=None, env=None):
        self.s = s
        config = s.config.read_text()
        if port is not None:
            config = re.sub(r"(?m)^port = \d+$", f"port = {port}", config)
        self.config = s.dir / f"{name}.toml"
        self.config.write_text(config)
        self.port = port
        self.log = s.dir / f"{name}.log"
        with open(self.log, "w") as log:
            self.proc = subprocess.Popen([str(SIMEXIT), "--config", str(self.config), command],
                                         stdout=log, stderr=subprocess.STDOUT, cwd=s.dir,
                                         env={**os.environ, **(env or {})})

    def wait_healthy(self):
        deadline = time.time() + 15
        while time.time() < deadline:
            assert self.proc.poll() is None, self.log.read_text()
            try:
                if self.s.request_on(self.port, "GET", "/v1/health").status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.05)
        raise AssertionError(f"{self.config.name} did not answer /v1/health")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def post(s, port, body, key, headers=None):
    return s.request_on(port, "POST", "/v1/terminations", body, token=key, headers=headers)


def at_once(calls):
    """Runs the calls on their own threads, released together."""
    barrier = threading.Barrier(len(calls))

    def run(call):
        barrier.wait()
        return call()

    with concurrent.futures.ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))
