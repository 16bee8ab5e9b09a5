"""The acting dormancy sweep (docs/dormancy.md), `simexit sweep dormant
--operator CODE`, against the real osmo-msc's SMSC and osmo-hlr: the warnings
reach the SMSC naming where to keep the line, a re-run the same day sends
nothing more, a holder who signs in keeps the line, fresh paid activity keeps
it off the list, and a line past its grace period is closed through the
workflow (channel system, reason dormant) and gone from osmo-hlr.

Dates: the demo lines' paid activity lies 0 to 220 days back, and `simexit
import activity` brings some of it to yesterday; the close comes without
waiting weeks by turning the operator's warning and grace periods to 0 days,
so that each run takes the line one step further."""

import re
import time
from datetime import datetime, timedelta, timezone

import pytest

import msc_sms_db
from conftest import Simexit


def _wait(predicate, timeout=20, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _day(days_ago):
    return (datetime.now(timezone.utc) - timedelta(days=days_ago)).strftime("%Y-%m-%d")


@pytest.fixture
def simexit_smsc(msc, tmp_path):
    s = Simexit(tmp_path, worker=True)
    with open(s.config, "a") as f:
        f.write("\n".join([
            "[smsc.kcell]",
            f'host = "{msc.smpp_host}"',
            f"port = {msc.smpp_port}",
            f'system_id = "{msc.system_id}"',
            f'password = "{msc.password}"',
            'source_addr = "Kcell"',
            "response_timeout_ms = 3000",
            "",
        ]))
    s.demo()
    s.start()
    try:
        yield s
    finally:
        s.stop()


def _sweep(s):
    out = s.cli("sweep", "dormant", "--operator", "kcell").stdout
    tally = re.search(r"(\d+) first warning\(s\), (\d+) final warning\(s\), "
                      r"(\d+) closure\(s\), (\d+) skipped", out)
    assert tally, out
    return tuple(int(n) for n in tally.groups())


def _texts_at_smsc(msc, msisdn, arriving=False):
    """The whole texts the SMSC holds for the number. While waiting, parts of a
    long text may still be on their way (arriving=True leaves those out)."""
    rows = msc.sms_rows(msisdn.lstrip("+"))
    return [m["text"] for m in msc_sms_db.reassemble(rows, arriving=arriving)]


def _sign_in(s, msc, msisdn):
    def codes():
        return [x for x in msc.sms_rows(msisdn.lstrip("+"))
                if x["text"] and "simexit" in x["text"]]
    before = len(codes())
    assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202
    rows = _wait(lambda: (lambda c: c if len(c) > before else None)(codes()), 15,
                 "the code in the SMSC")
    code = re.search(r"\b(\d{6})\b", rows[-1]["text"]).group(1)
    r = s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": code})
    assert r.status == 200, r


# The dormancy notices are the only texts that end with the self-service
# address: other tests' SMS to the same demo numbers do not count.
_KEEP_URL = re.compile(r"https?://\S+/my$")


def _warnings_at_smsc(msc, msisdn, arriving=False):
    return [t for t in _texts_at_smsc(msc, msisdn, arriving) if _KEEP_URL.search(t)]


def test_sweep_warns_keeps_and_closes(simexit_smsc, msc):
    s = simexit_smsc
    # Demo line n had its last paid activity n * 20 days ago, and activity
    # only moves forward: lines 10 and 11 (200 and 220 days) are the dormant
    # ones; 8 and 9 (160, 180 days) are paid yesterday, 9 the fresh line.
    dormant, kept, fresh = (s.demo_line("kcell", n) for n in (10, 11, 9))
    rows = [f"{s.demo_line('kcell', n)},{_day(1)}" for n in (8, 9)]
    csv = s.dir / "activity.csv"
    csv.write_text("\n".join(["msisdn,last_paid_activity_at", *rows]) + "\n")
    s.cli("import", "activity", str(csv))

    assert msc.hlr.info(s.imsi_of(dormant)) is not None
    assert _sweep(s) == (2, 0, 0, 0)
    for msisdn in (dormant, kept):
        _wait(lambda m=msisdn: _warnings_at_smsc(msc, m, arriving=True), 20,
              f"the warning to {msisdn}")
    # The same day again: no second warning.
    assert _sweep(s) == (0, 0, 0, 0)

    _sign_in(s, msc, kept)  # "keep my line"
    r = s.request("PUT", "/v1/operators/kcell/policy",
                  body={"dormancy_warning_days": 0, "dormancy_grace_days": 0},
                  token=s.keys["admin"])
    assert r.status == 200, r
    assert _sweep(s) == (0, 1, 0, 0)  # the final warning, to the dormant line only
    _wait(lambda: len(_warnings_at_smsc(msc, dormant, arriving=True)) == 2, 20,
          "the final warning")
    assert _sweep(s) == (0, 0, 1, 0)  # and its closure

    rows = s.db_query("SELECT t.id, t.channel, t.reason FROM terminations t "
                      "JOIN lines l ON l.id = t.line_id WHERE l.msisdn = ?", dormant)
    assert [r[1:] for r in rows] == [("system", "dormant")], rows
    done = s.wait_state(rows[0][0], s.keys["kcell"], {"terminated"}, timeout=30)
    assert done["channel"] == "system"
    assert msc.hlr.info(s.imsi_of(dormant)) is None
    assert len(_warnings_at_smsc(msc, kept)) == 1
    assert _warnings_at_smsc(msc, fresh) == []
    for msisdn in (kept, fresh):
        assert msc.hlr.info(s.imsi_of(msisdn)) is not None
        assert s.db_query("SELECT status FROM lines WHERE msisdn = ?", msisdn)[0][0] == "active"
        assert s.db_query("SELECT count(*) FROM terminations t JOIN lines l ON l.id = t.line_id "
                          "WHERE l.msisdn = ?", msisdn)[0][0] == 0
