"""Disk full: with its database on a full disk, simexit answers a write
503 `storage_full` with `Retry-After: 30`, writes nothing and corrupts nothing;
once space is freed the same request succeeds.

The disk is a small tmpfs mounted in a private mount namespace (`unshare -m`)
that a `sleep` process holds; `simexit`, the filler and the database reads run
inside it through `nsenter`, so nothing is ever mounted on the host, even when
the test dies half-way.
"""

import json
import os
import shutil
import subprocess
import time

import pytest

from conftest import Simexit, sqlite_only

# A full disk under SQLite's file; PostgreSQL's own disk is the server's.
pytestmark = sqlite_only

IBAN = "KZ86125KZT5004100100"
TMPFS_SIZE = "16m"

# Run with /usr/bin/python3 inside the namespace: argv[1] the database,
# argv[2] the SQL, argv[3] its parameters as JSON; prints the rows as JSON.
QUERY = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
rows = conn.execute(sys.argv[2], json.loads(sys.argv[3])).fetchall()
conn.commit()
print(json.dumps(rows))
"""

# Every row of every table but the audit trail (which records refused
# attempts by design), as JSON {table: sorted rows}.
SNAPSHOT = """
import json, sqlite3, sys
conn = sqlite3.connect(sys.argv[1])
tables = [r[0] for r in conn.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' "
    "AND name NOT LIKE 'sqlite_%' AND name NOT IN ('audit_log', 'audit_chain') ORDER BY name")]
print(json.dumps({t: sorted((list(r) for r in conn.execute(f'SELECT * FROM "{t}"')), key=repr)
                  for t in tables}))
"""


class PrivateTmpfs:
    """A tmpfs of `size` on `mountpoint`, seen only inside a private mount
    namespace held by a `sleep` process."""

    def __init__(self, mountpoint, size):
        self.path = mountpoint
        mountpoint.mkdir()
        if shutil.which("unshare") is None or shutil.which("nsenter") is None:
            pytest.skip("needs unshare and nsenter (util-linux)")
        self.holder = subprocess.Popen(
            ["unshare", "-m", "--propagation", "private", "sleep", "infinity"],
            stderr=subprocess.PIPE, text=True)
        own = os.readlink("/proc/self/ns/mnt")
        deadline = time.time() + 10
        while True:
            if self.holder.poll() is not None:
                pytest.skip("unshare -m is not permitted here: " + self.holder.stderr.read().strip())
            try:
                if os.readlink(f"/proc/{self.holder.pid}/ns/mnt") != own and \
                        open(f"/proc/{self.holder.pid}/comm").read().strip() == "sleep":
                    break
            except OSError:
                pass
            assert time.time() < deadline, "unshare -m did not start"
            time.sleep(0.01)
        self.run("mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(mountpoint))

    def launcher(self, cwd):
        return ["nsenter", "-t", str(self.holder.pid), "-m", f"--wd={cwd}", "--"]

    def run(self, *cmd, check=True):
        return subprocess.run(["nsenter", "-t", str(self.holder.pid), "-m", "--", *cmd],
                              capture_output=True, text=True, check=check, timeout=60)

    def fill(self):
        """Fills the tmpfs to the last block."""
        r = self.run("dd", "if=/dev/zero", f"of={self.path / 'filler'}", "bs=4096", check=False)
        assert "No space left on device" in r.stderr, r.stderr
        r = self.run("df", "--output=avail", "-B1", str(self.path))
        assert int(r.stdout.split()[-1]) < 4096, r.stdout

    def free(self):
        self.run("rm", "-f", str(self.path / "filler"))

    def close(self):
        self.holder.kill()
        self.holder.wait()


class SimexitOnTmpfs(Simexit):
    """simexit (without a worker) whose database is on the private tmpfs;
    its config, secrets and logs stay in the test's directory."""

    def __init__(self, data_dir, disk):
        super().__init__(data_dir, worker=False)
        self.disk = disk
        self.launcher = disk.launcher(data_dir)
        db = disk.path / "simexit.db"
        self.config.write_text(self.config.read_text().replace(f'path = "{self.db}"',
                                                               f'path = "{db}"'))
        self.db = db

    def _python(self, script, *args):
        r = self.disk.run("/usr/bin/python3", "-c", script, str(self.db), *args)
        return json.loads(r.stdout)

    def db_query(self, sql, *params):
        return self._python(QUERY, sql, json.dumps(list(params)))

    def snapshot(self, *tables):
        assert not tables
        return self._python(SNAPSHOT)


@pytest.fixture
def on_full_disk(hlr, tmp_path):
    disk = PrivateTmpfs(tmp_path / "disk", TMPFS_SIZE)
    s = None
    try:
        s = SimexitOnTmpfs(tmp_path, disk)
        s.demo()
        s.start()
        yield s
    finally:
        if s is not None:
            s.stop()
        disk.close()


def test_a_full_disk_answers_503_storage_full_and_writes_nothing(on_full_disk):
    s = on_full_disk
    msisdn = s.demo_line("kcell", 0)
    body = {
        "msisdn": msisdn,
        "channel": "store",
        "document": s.holder_document(msisdn),
        "refund": {"method": "iban", "destination": IBAN},
    }
    headers = {"Idempotency-Key": "full-disk-1"}
    # An empty write-ahead log: the next commit must take new space.
    assert s.db_query("PRAGMA wal_checkpoint(TRUNCATE)")[0][0] == 0
    before = s.snapshot()

    s.disk.fill()
    r = s.post("/v1/terminations", body, token=s.keys["kcell"], headers=headers)
    assert r.status == 503, r
    assert r.json["code"] == "storage_full", r
    assert r.headers.get("Retry-After") == "30", r.headers
    # Reads still work while the disk is full.
    assert s.get("/v1/health").status == 200
    assert s.snapshot() == before

    s.disk.free()
    r = s.post("/v1/terminations", body, token=s.keys["kcell"], headers=headers)
    assert r.status == 201, r
    assert r.json["msisdn"] == msisdn
    assert s.db_query("SELECT count(*) FROM terminations WHERE id = ?", r.json["id"]) == [[1]]
    assert s.db_query("PRAGMA integrity_check") == [["ok"]]
    check = s.cli("check", check=False)
    assert check.returncode == 0, check.stdout + check.stderr
