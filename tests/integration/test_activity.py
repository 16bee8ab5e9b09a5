"""Paid activity as data (docs/dormancy.md): `simexit import activity` and
POST /v1/operators/{code}/activity move lines.last_paid_activity_at forward,
idempotently; bad rows are named (by line number, or by index in the API) and
nothing is written unless the CLI is given --skip-bad."""

import re
import time
from datetime import datetime, timedelta, timezone

from problem_asserts import assert_problem, refused


def rfc3339(t):
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def activity_of(s, msisdn):
    return s.db_query("SELECT last_paid_activity_at FROM lines WHERE msisdn = ?", msisdn)[0][0]


def yesterday():
    return datetime.now(timezone.utc).replace(microsecond=0) - timedelta(days=1)


def test_import_activity_updates_forward_only_and_is_idempotent(simexit_no_worker):
    s = simexit_no_worker
    a, b = s.demo_line("kcell", 1), s.demo_line("beeline", 2)  # 20 and 40 days without
    at = yesterday()
    csv = s.dir / "activity.csv"
    # Columns in either order; a date is midnight UTC; b's date is older: kept.
    csv.write_text(f"last_paid_activity_at,msisdn\n{rfc3339(at)},{a}\n2020-01-01,{b}\n")
    b_before = activity_of(s, b)
    out = s.cli("import", "activity", str(csv)).stdout
    assert "1 line(s) updated, 1 unchanged" in out, out
    assert activity_of(s, a) == int(at.timestamp())
    assert activity_of(s, b) == b_before
    before = s.snapshot("lines")
    out = s.cli("import", "activity", str(csv)).stdout
    assert "0 line(s) updated, 2 unchanged" in out, out
    assert s.snapshot("lines") == before


def test_import_activity_reports_bad_rows_by_line_and_writes_nothing(simexit_no_worker):
    s = simexit_no_worker
    a = s.demo_line("kcell", 1)
    future = rfc3339(datetime.now(timezone.utc) + timedelta(days=2))
    rows = [
        f"{a},{rfc3339(yesterday())}",  # line 2: good
        "+77019999999,2026-01-01",      # 3: no such line
        f"{s.demo_line('kcell', 2)},{future}",  # 4: in the future
        "12,2026-01-01",                # 5: not a number
        f"{s.demo_line('kcell', 3)},last week",  # 6: not a time
        f"{a},2026-01-02",              # 7: twice
        "+77011111111",                 # 8: one field
    ]
    csv = s.dir / "activity.csv"
    csv.write_text("\n".join(["msisdn,last_paid_activity_at", *rows]) + "\n")
    before = s.snapshot()
    result = s.cli("import", "activity", str(csv), check=False)
    assert result.returncode == 1, result
    reported = dict(re.findall(r"^line (\d+): (.*)$", result.stdout, re.M))
    assert set(reported) == {"3", "4", "5", "6", "7", "8"}, result.stdout
    assert "no line" in reported["3"]
    assert "future" in reported["4"]
    assert "RFC 3339" in reported["6"]
    assert "earlier row" in reported["7"]
    assert "fields" in reported["8"]
    assert "6 bad row(s); nothing written" in result.stdout, result.stdout
    assert s.snapshot() == before

    result = s.cli("import", "activity", "--skip-bad", str(csv), check=False)
    assert result.returncode == 0, result
    assert "1 line(s) updated, 0 unchanged, 6 bad row(s) skipped" in result.stdout, result.stdout
    assert activity_of(s, a) > time.time() - 3 * 86400  # the good row only
    assert activity_of(s, s.demo_line("kcell", 2)) < time.time() - 30 * 86400


def test_import_activity_refuses_a_wrong_header(simexit_no_worker):
    s = simexit_no_worker
    csv = s.dir / "activity.csv"
    csv.write_text("msisdn,when\n+77011234567,2026-01-01\n")
    before = s.snapshot()
    result = s.cli("import", "activity", str(csv), check=False)
    assert result.returncode == 1, result
    assert "unknown column 'when'" in result.stderr, result
    assert s.snapshot() == before


def test_api_records_activity_for_the_operators_own_lines(simexit_no_worker):
    s = simexit_no_worker
    a, b = s.demo_line("kcell", 1), s.demo_line("kcell", 2)
    at = rfc3339(yesterday())
    body = {"activity": [{"msisdn": a, "last_paid_activity_at": at},
                         {"msisdn": b, "last_paid_activity_at": "2020-01-01"}]}
    r = s.post("/v1/operators/kcell/activity", body, token=s.keys["kcell"])
    assert r.status == 200, r
    assert r.json == {"updated": 1, "unchanged": 1}
    r = s.post("/v1/operators/kcell/activity", body, token=s.keys["admin"])
    assert r.status == 200, r
    assert r.json == {"updated": 0, "unchanged": 2}
    assert activity_of(s, a) == int(datetime.fromisoformat(at.replace("Z", "+00:00")).timestamp())


def test_api_names_every_bad_row_and_records_nothing(simexit_no_worker):
    s = simexit_no_worker
    a = s.demo_line("kcell", 1)
    other = s.demo_line("beeline", 1)
    future = rfc3339(datetime.now(timezone.utc) + timedelta(days=2))
    body = {"activity": [
        {"msisdn": a, "last_paid_activity_at": rfc3339(yesterday())},
        {"msisdn": other, "last_paid_activity_at": "2026-01-01"},  # another operator's
        {"msisdn": a, "last_paid_activity_at": future},
        {"msisdn": "12", "last_paid_activity_at": "2026-01-01"},
        {"msisdn": a},
        [],
    ]}
    problem = refused(s, 400, "invalid_activity_rows", lambda: s.post(
        "/v1/operators/kcell/activity", body, token=s.keys["kcell"]))
    assert [(row["row"], row["code"]) for row in problem["rows"]] == [
        (1, "unknown_msisdn"), (2, "future_time"), (3, "invalid_msisdn"), (4, "invalid_row"),
        (5, "invalid_row")], problem
    assert problem["rows"][0]["msisdn"] == other


def test_api_confines_and_limits(simexit_no_worker):
    s = simexit_no_worker
    a = s.demo_line("kcell", 1)
    row = {"msisdn": a, "last_paid_activity_at": "2026-01-01"}
    refused(s, 404, "operator_not_found", lambda: s.post(
        "/v1/operators/kcell/activity", {"activity": [row]}, token=s.keys["beeline"]))
    agent = s.staff_token("kcell.store")  # signing in writes a session: before the snapshot
    refused(s, 403, "insufficient_role", lambda: s.post(
        "/v1/operators/kcell/activity", {"activity": [row]}, token=agent))
    refused(s, 401, "unauthenticated", lambda: s.post(
        "/v1/operators/kcell/activity", {"activity": [row]}))
    refused(s, 400, "invalid_field", lambda: s.post(
        "/v1/operators/kcell/activity", {"activity": "all"}, token=s.keys["kcell"]))
    refused(s, 400, "unknown_field", lambda: s.post(
        "/v1/operators/kcell/activity", {"activity": [], "skip_bad": True},
        token=s.keys["kcell"]))
    # 10,000 rows fit (a body far over the server's usual limit); 10,001 do not.
    many = [row] * 10_001
    refused(s, 400, "too_many_activity_rows", lambda: s.post(
        "/v1/operators/kcell/activity", {"activity": many}, token=s.keys["kcell"]))
    r = s.post("/v1/operators/kcell/activity", {"activity": many[:10_000]},
               token=s.keys["kcell"])
    problem = assert_problem(r, 400, "invalid_activity_rows")  # the same number 10,000 times
    assert len(problem["rows"]) == 9_999
    assert {row["code"] for row in problem["rows"]} == {"duplicate_msisdn"}
