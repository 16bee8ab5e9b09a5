"""Throw-away PostgreSQL 15 servers for the integration tests
(tests/support/postgres.sh: initdb in a temp dir, 127.0.0.1, fsync on): the
session's one server (PgServer), with a fresh database per simexit
installation, and a primary with its synchronous standby for the fail-over
test (PgPair)."""

import os
import subprocess
import tempfile
import time
from pathlib import Path

POSTGRES_SH = Path(__file__).resolve().parent / "postgres.sh"


class PgServer:
    """The session's PostgreSQL server (started on first use, stopped at exit)."""

    def __init__(self):
        self.run_dir = tempfile.mkdtemp(prefix="simexit-it-pg.")
        subprocess.run([str(POSTGRES_SH), "start", self.run_dir], check=True)
        env = dict(line.split("=", 1) for line in
                   (Path(self.run_dir) / "pg.env").read_text().splitlines() if "=" in line)
        self.port = int(env["PG_PORT"])
        self.count = 0

    def url(self, database):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database="simexit_test"):
        import psycopg2  # Debian's python3-psycopg2; only needed on PostgreSQL

        conn = psycopg2.connect(self.url(database))
        conn.autocommit = True
        return conn

    def fresh_database(self):
        self.count += 1
        name = f"simexit_{os.getpid()}_{self.count}"
        conn = self.connect()
        try:
            conn.cursor().execute(f"CREATE DATABASE {name}")
        finally:
            conn.close()
        return name

    def stop(self):
        subprocess.run([str(POSTGRES_SH), "stop", self.run_dir], check=False)
        subprocess.run(["rm", "-rf", self.run_dir], check=False)


class PgPair:
    """A primary and its synchronous streaming standby, each a throw-away
    PostgreSQL 15 server (tests/support/postgres.sh start / standby), for the
    fail-over test: the shape of docs/deployment.md in one machine.

    The primary lets the role `replicator` in for replication (a pg_hba.conf
    line of its own), the standby is a `pg_basebackup -R` copy streaming from
    it under the application_name `simexit_standby`, and only then is the
    primary told `synchronous_standby_names = 'simexit_standby'`,
    `synchronous_commit = on`: a COMMIT returns once the standby has flushed
    its WAL. (Set after the copy, so the standby does not inherit it: once
    promoted it commits alone, as Patroni's non-strict synchronous mode does.)

    url() is the multi-host URL with target_session_attrs=read-write, the one
    simexit and the test's own reads use, so both find whichever server is
    the primary. crash_primary() and promote_standby() are the fail-over
    (SIGKILL, then `pg_ctl promote` standing in for Patroni)."""

    STANDBY_NAME = "simexit_standby"

    def __init__(self):
        self.primary_dir = tempfile.mkdtemp(prefix="simexit-it-pg-primary.")
        self.standby_dir = tempfile.mkdtemp(prefix="simexit-it-pg-standby.")
        self.count = 0
        try:
            self.primary_port = self._start("start", self.primary_dir)
            self._allow_replication()
            self.standby_port = self._start("standby", self.standby_dir, str(self.primary_port),
                                            self.STANDBY_NAME)
            self._make_synchronous()
        except BaseException:
            self.stop()
            raise

    @staticmethod
    def _start(command, run_dir, *args):
        subprocess.run([str(POSTGRES_SH), command, run_dir, *args], check=True)
        env = dict(line.split("=", 1) for line in
                   (Path(run_dir) / "pg.env").read_text().splitlines() if "=" in line)
        return int(env["PG_PORT"])

    def _primary(self, database="postgres"):
        import psycopg2  # Debian's python3-psycopg2

        conn = psycopg2.connect(f"postgresql://postgres@127.0.0.1:{self.primary_port}/{database}")
        conn.autocommit = True
        return conn

    def _sql(self, *statements):
        conn = self._primary()
        try:
            cur = conn.cursor()
            for statement in statements:
                cur.execute(statement)
            return cur.fetchall() if cur.description else []
        finally:
            conn.close()

    def _allow_replication(self):
        hba = Path(self.primary_dir) / "data" / "pg_hba.conf"
        with open(hba, "a") as f:
            f.write("host replication replicator 127.0.0.1/32 trust\n")
        self._sql("CREATE ROLE replicator WITH REPLICATION LOGIN", "SELECT pg_reload_conf()")

    def _make_synchronous(self):
        self._sql(f"ALTER SYSTEM SET synchronous_standby_names = '{self.STANDBY_NAME}'",
                  "ALTER SYSTEM SET synchronous_commit = 'on'", "SELECT pg_reload_conf()")
        deadline = time.time() + 30
        while True:
            rows = self._sql("SELECT application_name, state, sync_state FROM pg_stat_replication")
            if (self.STANDBY_NAME, "streaming", "sync") in rows:
                return
            if time.time() > deadline:
                raise AssertionError(f"the standby did not become synchronous: {rows}")
            time.sleep(0.1)

    def url(self, database):
        return (f"postgresql://postgres@127.0.0.1:{self.primary_port},127.0.0.1:{self.standby_port}"
                f"/{database}?target_session_attrs=read-write")

    def connect(self, database="simexit_test"):
        """A connection to whichever server is the primary now."""
        import psycopg2

        conn = psycopg2.connect(self.url(database))
        conn.autocommit = True
        return conn

    def fresh_database(self):
        self.count += 1
        name = f"simexit_failover_{os.getpid()}_{self.count}"
        self._sql(f"CREATE DATABASE {name}")
        return name

    def crash_primary(self):
        subprocess.run([str(POSTGRES_SH), "crash", self.primary_dir], check=True)

    def promote_standby(self):
        subprocess.run([str(POSTGRES_SH), "promote", self.standby_dir], check=True)

    def stop(self):
        for run_dir in (self.standby_dir, self.primary_dir):
            subprocess.run([str(POSTGRES_SH), "stop", run_dir], check=False)
            subprocess.run(["rm", "-rf", run_dir], check=False)
