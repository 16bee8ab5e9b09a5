"""Bulk closures (docs/bulk-terminations.md): POST
/v1/operators/{code}/bulk-terminations answers 202 at once, a job opens the
lines' terminations in batches (channel `system`), and each line goes the
ordinary way to a certificate, gone from the real osmo-hlr. Bad input (over
the limit, repeated numbers, another operator's or unknown numbers, a reason
code not known, a role that may not) answers a specific 4xx naming what is
wrong, and creates nothing. `simexit terminate --file` submits the same and
follows it to the end."""

import time

from bad_input_helpers import luhn_digit
from bulk_helpers import import_lines, provision

LINES = 30
PATH = "/v1/operators/kcell/bulk-terminations"


def line(n):
    """Line n of this file's bulk: no money either way, a holder of its own."""
    iccid = f"897701881000{n:06d}"
    return {"msisdn": f"+7701881{n:04d}", "iccid": iccid + luhn_digit(iccid),
            "imsi": f"00101881{n:07d}", "passport": f"N9{n:07d}", "name": "BULK HOLDER"}


def wait_finished(s, bulk_id, token, timeout=45):
    """The bulk's progress once no line is pending (bounded wait)."""
    deadline = time.time() + timeout
    while True:
        r = s.get(f"{PATH}/{bulk_id}", token=token)
        assert r.status == 200, r
        if r.json["pending"] == 0:
            return r.json
        assert time.time() < deadline, f"bulk still pending: {r.json}"
        time.sleep(0.2)


def test_bulk_closes_every_line_through_the_ordinary_workflow(simexit, hlr, tmp_path):
    s = simexit
    key = s.keys["kcell"]
    lines = [line(n) for n in range(LINES)]
    import_lines(s, tmp_path, lines)
    provision(lines)
    assert all(hlr.info(l["imsi"]) is not None for l in lines)
    body = {"reason_code": "contract_ended", "msisdns": [l["msisdn"] for l in lines]}

    r = s.post(PATH, body, token=key, headers={"Idempotency-Key": "contract-42"})
    assert r.status == 202, r
    bulk_id = r.json["id"]
    assert r.json["total"] == LINES and r.json["reason_code"] == "contract_ended", r
    assert r.headers["Location"] == f"{PATH}/{bulk_id}", r.headers
    # The same key again: the first answer, not a second bulk.
    again = s.post(PATH, body, token=key, headers={"Idempotency-Key": "contract-42"})
    assert again.status == 202 and again.json["id"] == bulk_id, again
    assert again.headers.get("Idempotent-Replayed") == "true", again.headers

    progress = wait_finished(s, bulk_id, key)
    assert (progress["done"], progress["failed"], progress["failures"]) == (LINES, 0, []), progress
    assert s.db_query("SELECT count(*) FROM bulk_terminations")[0][0] == 1
    s.wait_jobs_idle()  # the certificates come after the closures
    closed = s.db_query(
        "SELECT id, state, reason, certificate_serial FROM terminations WHERE channel = 'system'")
    assert len(closed) == LINES, closed
    assert all(st == "terminated" and reason == "contract_ended" and serial
               for _, st, reason, serial in closed), closed
    gone = [l["msisdn"] for l in lines if hlr.info(l["imsi"]) is not None]
    assert gone == [], f"still in osmo-hlr: {gone}"
    cert = s.get(f"/v1/terminations/{closed[0][0]}/certificate", token=key)
    assert cert.status == 200, cert

    # A line closed already is a failure of a second bulk, named by number.
    r = s.post(PATH, {"reason_code": "suspected_fraud", "msisdns": [lines[0]["msisdn"]]},
               token=key)
    assert r.status == 202, r
    progress = wait_finished(s, r.json["id"], key)
    assert progress["failed"] == 1, progress
    assert progress["failures"] == [{"msisdn": lines[0]["msisdn"], "code": "line_not_active",
                                     "detail": "the line is quarantined"}], progress


def refused(r, status, code):
    assert r.status == status and (r.json or {}).get("code") == code, r
    return r.json


def test_bad_bulks_answer_a_specific_4xx_and_create_nothing(simexit, tmp_path):
    s = simexit
    key = s.keys["kcell"]
    lines = [line(n) for n in range(100, 103)]
    import_lines(s, tmp_path, lines)
    store_agent, admin = s.staff_token("kcell.store"), s.staff_token("kcell.admin")
    s.wait_jobs_idle()
    before = s.snapshot()
    good = [l["msisdn"] for l in lines]

    over = refused(s.post(PATH, {"reason_code": "contract_ended",
                                 "msisdns": [good[0]] * 100_001}, token=key),
                   400, "too_many_bulk_numbers")
    assert over["field"] == "msisdns" and "100000" in over["detail"], over
    beeline = s.demo_line("beeline", 1)
    numbers = [good[0], good[1], "8" + good[1][2:], beeline, "+77018819999", "hello", good[2]]
    bad = refused(s.post(PATH, {"reason_code": "contract_ended", "msisdns": numbers}, token=key),
                  400, "invalid_bulk_numbers")
    assert [(n["row"], n["msisdn"], n["code"]) for n in bad["numbers"]] == [
        (2, numbers[2], "duplicate_msisdn"), (3, beeline, "unknown_msisdn"),
        (4, "+77018819999", "unknown_msisdn"), (5, "hello", "invalid_msisdn")], bad
    refused(s.post(PATH, {"reason_code": "dormant", "msisdns": good}, token=key),
            400, "invalid_reason_code")
    refused(s.post(PATH, {"reason_code": "contract_ended", "msisdns": good},
                   token=store_agent), 403, "insufficient_role")
    refused(s.post(PATH, {"reason_code": "contract_ended", "msisdns": good},
                   token=s.keys["beeline"]), 404, "operator_not_found")
    refused(s.get(f"{PATH}/blk_000000000000", token=key), 404, "bulk_termination_not_found")
    assert s.snapshot() == before

    # The operator's admin may; the CLI submits the same and follows it.
    by_admin = s.post(PATH, {"reason_code": "regulator_order", "msisdns": good[:1]}, token=admin)
    assert by_admin.status == 202, by_admin
    numbers_file = tmp_path / "close.txt"
    numbers_file.write_text("msisdn\n" + "\n".join(good[1:]) + "\n\n# end\n")
    result = s.cli("terminate", "--file", str(numbers_file), "--operator", "kcell",
                   "--reason", "operator_decision")
    assert "2 done, 0 failed, 0 pending of 2" in result.stdout, result.stdout
    numbers_file.write_text(f"{good[0]}\n{beeline}\n")
    before = s.snapshot("bulk_terminations", "bulk_termination_lines")
    result = s.cli("terminate", "--file", str(numbers_file), "--operator", "kcell",
                   "--reason", "contract_ended", check=False)
    assert result.returncode == 1, result
    assert f"line 2: {beeline}: " in result.stderr and "nothing was submitted" in result.stderr, \
        result.stderr
    assert s.snapshot("bulk_terminations", "bulk_termination_lines") == before
