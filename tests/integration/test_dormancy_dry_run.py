"""`simexit sweep dormant --operator CODE --dry-run` (docs/dormancy.md): what
the sweep would do today, from the lines' paid activity and the operator's
policy; it changes nothing, skips lines with an open termination, and reported
paid activity takes a line off the list. The acting sweep is
test_dormancy_sweep.py."""

import re
from datetime import datetime, timedelta, timezone

from problem_asserts import store


def plan(s, operator="kcell"):
    result = s.cli("sweep", "dormant", "--operator", operator, "--dry-run")
    rows = re.findall(r"^(\+7\d{10})\s+(\S+)\s+(.*)$", result.stdout, re.M)
    return {m: (step, rest) for m, step, rest in rows}, result.stdout


def test_dry_run_lists_dormant_lines_and_changes_nothing(simexit_no_worker):
    s = simexit_no_worker
    # Demo line n of an operator had its last paid activity n * 20 days ago;
    # the default policy warns from 180 - 30 = 150 days on.
    dormant = {s.demo_line("kcell", n) for n in range(8, 12)}
    before = s.snapshot()
    lines, out = plan(s)
    assert s.snapshot() == before
    assert set(lines) == dormant, out
    close_on = (datetime.now(timezone.utc) + timedelta(days=30 + 14)).strftime("%Y-%m-%d")
    for m in dormant:
        step, rest = lines[m]
        assert step == "first_warning", out
        assert rest.startswith(f"close on {close_on}: no paid activity for "), out
    assert "4 first warning(s), 0 final warning(s), 0 closure(s), 0 skipped" in out, out


def test_open_termination_is_skipped_and_activity_stops_the_clock(simexit_no_worker):
    s = simexit_no_worker
    held, paid = s.demo_line("kcell", 9), s.demo_line("kcell", 10)
    r = s.post("/v1/terminations", store(s, held, scheduled_for=None), token=s.keys["kcell"])
    assert r.status in (200, 201, 202), r
    yesterday = (datetime.now(timezone.utc) - timedelta(days=1)).strftime("%Y-%m-%d")
    csv = s.dir / "activity.csv"
    csv.write_text(f"msisdn,last_paid_activity_at\n{paid},{yesterday}\n")
    s.cli("import", "activity", str(csv))
    lines, out = plan(s)
    assert lines[held] == ("skip", "has an open termination"), out
    assert paid not in lines, out
    assert "2 first warning(s), 0 final warning(s), 0 closure(s), 1 skipped" in out, out


def test_unknown_operator_is_refused(simexit_no_worker):
    s = simexit_no_worker
    result = s.cli("sweep", "dormant", "--operator", "nosuchop", "--dry-run", check=False)
    assert result.returncode == 1, result
    assert "operator_not_found" in result.stderr, result
