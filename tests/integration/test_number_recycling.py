"""Number recycling checks over real HTTP (docs/number-recycling.md): CAMARA
Number Recycling v0.2.0 (release r2.2) as its test definitions
(number-recycling.feature) ask, simexit's batch form, the clients, the audit
record of every answer, the per-client rate, and the disconnection report.
The number's history comes from real terminations against osmo-hlr."""

import datetime
import re

import pytest

from conftest import Simexit

CHECK = "/number-recycling/v0.2/check"
BATCH = "/number-recycling/v0.2/check-batch"
IBAN = "KZ86125KZT5004100100"
UNKNOWN = "+77059999999"  # a valid Kazakh mobile number no demo operator holds


def day(offset=0):
    return (datetime.datetime.now(datetime.timezone.utc).date()
            + datetime.timedelta(days=offset)).isoformat()


@pytest.fixture(scope="module")
def s(hlr, tmp_path_factory):
    inst = Simexit(tmp_path_factory.mktemp("recycling"), worker=True)
    # One number a second per client after a burst of one full batch, so the
    # rate test needs no sleeping; each test uses its own clients.
    with open(inst.config, "a") as f:
        f.write("[number_recycling]\nchecks_per_second_per_client = 1\n"
                "check_burst_per_client = 1000\n")
    inst.demo()
    inst.start()
    try:
        yield inst
    finally:
        inst.stop()


def new_client(s, operator="kcell", scopes=None):
    """A client made by the operator's operator_admin through the API: (id, key)."""
    body = {"name": f"{operator} bank"}
    if scopes is not None:
        body["scopes"] = scopes
    r = s.post(f"/v1/operators/{operator}/number-recycling-clients", body,
               token=s.staff_token(f"{operator}.admin"))
    assert r.status == 201, r
    assert r.json["key"].startswith(f"nrc_{operator}_") and r.json["operator"] == operator, r
    return r.json["id"], r.json["key"]


def check(s, key, body, correlator=None, raw=None, path=CHECK):
    headers = {"x-correlator": correlator} if correlator is not None else None
    return s.request("POST", path, body=body, token=key, headers=headers, raw=raw)


def assert_camara_error(r, status, code):
    assert r.status == status, r
    assert r.headers.get("Content-Type", "").startswith("application/json"), r.headers
    assert set(r.json) == {"status", "code", "message"}, r.json
    assert r.json["status"] == status and r.json["code"] == code, r.json
    assert r.json["message"], r.json


def recorded(s, client_id):
    return s.db_query("SELECT msisdn, specified_date, answer, correlator FROM "
                      "number_recycling_checks WHERE client_id = ? ORDER BY id", client_id)


def terminate(s, msisdn):
    """Closes a demo line through the store channel and waits for the end."""
    token = s.staff_token("kcell.store")
    r = s.post("/v1/terminations", {"msisdn": msisdn, "channel": "store",
                                    "document": s.holder_document(msisdn),
                                    "refund": {"method": "iban", "destination": IBAN}},
               token=token)
    assert r.status == 201, r
    s.wait_state(r.json["id"], token, {"terminated"})


def test_answers_false_true_not_found_and_no_data_from_the_numbers_history(s):
    cid, key = new_client(s)
    held, closed = s.demo_line("kcell", 4), s.demo_line("kcell", 8)

    r = check(s, key, {"phoneNumber": held, "specifiedDate": day()}, correlator="c-1")
    assert r.status == 200 and r.json == {"phoneNumberRecycled": False}, r
    assert r.headers.get("Content-Type", "").startswith("application/json")
    assert r.headers.get("x-correlator") == "c-1", r.headers

    terminate(s, closed)
    r = check(s, key, {"phoneNumber": closed, "specifiedDate": day()})
    assert r.status == 200 and r.json == {"phoneNumberRecycled": True}, r
    assert "x-correlator" not in {k.lower() for k in r.headers}, r.headers

    # simexit learnt of the numbers today: yesterday is beyond its history.
    assert_camara_error(check(s, key, {"phoneNumber": held, "specifiedDate": day(-1)}),
                        422, "SERVICE_NOT_APPLICABLE")
    for number in (UNKNOWN, "+4915112345678"):
        assert_camara_error(check(s, key, {"phoneNumber": number, "specifiedDate": day()}),
                            404, "IDENTIFIER_NOT_FOUND")

    assert recorded(s, cid) == [
        (held, day(), "not_recycled", "c-1"),
        (closed, day(), "recycled", ""),
        (held, day(-1), "no_data", ""),
        (UNKNOWN, day(), "not_found", ""),
        ("+4915112345678", day(), "not_found", ""),
    ]
    # The operator reads the same record through the API.
    r = s.get(f"/v1/number-recycling-clients/{cid}/checks", token=s.staff_token("kcell.admin"))
    assert r.status == 200, r
    assert [(c["phoneNumber"], c["answer"]) for c in r.json["items"]][:2] == [
        ("+4915112345678", "not_found"), (UNKNOWN, "not_found")], r

    # The disconnection report, as CSV from the CLI and over the API.
    out = s.cli("report", "disconnections", "--since", day(-1)).stdout.splitlines()
    assert out[0] == "number,disconnected_on" and f"{closed},{day()}" in out[1:], out
    assert held not in "".join(out)
    r = s.get(f"/v1/reports/disconnections?since={day()}", token=s.keys["admin"])
    assert r.status == 200 and closed in {i["msisdn"] for i in r.json["items"]}, r
    r = s.get(f"/v1/reports/disconnections?since={day(1)}", token=s.keys["admin"])
    assert r.status == 200 and r.json["items"] == [], r
    r = s.get("/v1/reports/disconnections?since=yesterday", token=s.keys["admin"])
    assert r.status == 400 and r.json["code"] == "invalid_query", r
    r = s.get(f"/v1/reports/disconnections?since={day()}", token=s.staff_token("kcell.store"))
    assert r.status == 403 and r.json["code"] == "insufficient_role", r


def test_bad_input_is_refused_in_camaras_terms_and_records_nothing(s):
    cid, key = new_client(s)
    number = s.demo_line("kcell", 5)
    before = s.snapshot()
    cases = [
        (None, b"", 400, "INVALID_ARGUMENT"),  # no body
        (None, b"{}", 400, "INVALID_ARGUMENT"),
        (None, b"[1]", 400, "INVALID_ARGUMENT"),
        (None, b"{not json", 400, "INVALID_ARGUMENT"),
        ({"phoneNumber": number, "specifiedDate": "2024-13-01"}, None, 400, "INVALID_ARGUMENT"),
        ({"phoneNumber": number, "specifiedDate": "20240101"}, None, 400, "INVALID_ARGUMENT"),
        ({"phoneNumber": number, "specifiedDate": 20240101}, None, 400, "INVALID_ARGUMENT"),
        ({"phoneNumber": "8" + number[2:], "specifiedDate": day()}, None, 400,
         "INVALID_ARGUMENT"),
        ({"phoneNumber": "+0123456", "specifiedDate": day()}, None, 400, "INVALID_ARGUMENT"),
        ({"phoneNumber": number, "specifiedDate": day(), "extra": 1}, None, 400,
         "INVALID_ARGUMENT"),
        ({"phoneNumber": number, "specifiedDate": day(1)}, None, 400, "OUT_OF_RANGE"),
        ({"specifiedDate": day()}, None, 422, "MISSING_IDENTIFIER"),
    ]
    for body, raw, status, code in cases:
        r = check(s, key, body, raw=raw, correlator="bad-1")
        assert_camara_error(r, status, code)
        assert r.headers.get("x-correlator") == "bad-1", (body, raw, r.headers)
    assert s.snapshot() == before
    assert recorded(s, cid) == []


def test_x_correlator_is_echoed_and_checked_against_its_pattern(s):
    _, key = new_client(s)
    body = {"phoneNumber": s.demo_line("kcell", 6), "specifiedDate": day()}
    for good in ("b4333c46-49c0-4f62-80d7-f0ef930f1c46", "a:b;c.d/e<f>{g}_h", "x" * 256):
        r = check(s, key, body, correlator=good)
        assert r.status == 200 and r.headers.get("x-correlator") == good, r
    for bad in ("has space", "x" * 257, "semi,colon"):
        r = check(s, key, body, correlator=bad)
        assert_camara_error(r, 400, "INVALID_ARGUMENT")
        assert "x-correlator" not in {k.lower() for k in r.headers}, r.headers


def test_credentials_unauthenticated_revoked_and_without_scope(s):
    cid, key = new_client(s)
    body = {"phoneNumber": s.demo_line("kcell", 7), "specifiedDate": day()}
    assert_camara_error(check(s, None, body), 401, "UNAUTHENTICATED")
    assert_camara_error(check(s, "nrc_kcell_" + "0" * 48, body), 401, "UNAUTHENTICATED")
    # simexit's own credentials are valid, but hold no number recycling scope.
    for token in (s.staff_token("kcell.admin"), s.keys["kcell"], s.keys["admin"]):
        assert_camara_error(check(s, token, body), 403, "PERMISSION_DENIED")
    _, scopeless = new_client(s, scopes=[])
    assert_camara_error(check(s, scopeless, body), 403, "PERMISSION_DENIED")
    # A recycling key opens nothing else.
    r = s.get("/v1/terminations", token=key)
    assert r.status == 401, r

    # Revoked through the CLI: the key no longer authenticates.
    listed = s.cli("recycling-clients", "list", "--operator", "kcell").stdout
    assert re.search(rf"^{cid}\s+kcell\s+nrc_kcell_\w+\s+active", listed, re.M), listed
    s.cli("recycling-clients", "revoke", str(cid))
    assert_camara_error(check(s, key, body), 401, "UNAUTHENTICATED")
    listed = s.cli("recycling-clients", "list", "--operator", "kcell").stdout
    assert re.search(rf"^{cid}\s+kcell\s+\S+\s+revoked", listed, re.M), listed

    # Only operator_admin staff and admins manage clients.
    r = s.post("/v1/operators/kcell/number-recycling-clients", {"name": "x"},
               token=s.staff_token("kcell.store"))
    assert r.status == 403 and r.json["code"] == "insufficient_role", r
    r = s.post("/v1/operators/kcell/number-recycling-clients", {"name": "x"},
               token=s.keys["admin"])
    assert r.status == 201, r
    r = s.post("/v1/operators/kcell/number-recycling-clients", {"name": "x", "scopes": ["all"]},
               token=s.keys["admin"])
    assert r.status == 400 and r.json["code"] == "invalid_recycling_client", r
    out = s.cli("recycling-clients", "create", "--operator", "kcell", "--name", "CLI Bank").stdout
    assert re.search(r"key \(shown once, give it to the client\): nrc_kcell_\w+", out), out


def test_another_operators_client_learns_nothing_about_the_number(s):
    cid, key = new_client(s, "beeline")
    kcell_number = s.demo_line("kcell", 9)
    theirs = check(s, key, {"phoneNumber": kcell_number, "specifiedDate": day()})
    unknown = check(s, key, {"phoneNumber": UNKNOWN, "specifiedDate": day()})
    assert_camara_error(theirs, 404, "IDENTIFIER_NOT_FOUND")
    assert theirs.json == unknown.json
    r = check(s, key, {"phoneNumber": s.demo_line("beeline", 9), "specifiedDate": day()})
    assert r.status == 200 and r.json == {"phoneNumberRecycled": False}, r
    # kcell's operator_admin cannot read beeline's client's checks.
    r = s.get(f"/v1/number-recycling-clients/{cid}/checks", token=s.staff_token("kcell.admin"))
    assert r.status == 404 and r.json["code"] == "recycling_client_not_found", r


def test_batch_answers_each_number_and_takes_at_most_1000(s):
    cid, key = new_client(s)
    held = s.demo_line("kcell", 10)
    r = check(s, key, {"phoneNumbers": [held, UNKNOWN, "+4915112345678"],
                       "specifiedDate": day()}, path=BATCH, correlator="batch-1")
    assert r.status == 200 and r.headers.get("x-correlator") == "batch-1", r
    assert r.json == {"results": [
        {"phoneNumber": held, "phoneNumberRecycled": False},
        {"phoneNumber": UNKNOWN, "error": {"status": 404, "code": "IDENTIFIER_NOT_FOUND",
                                           "message": "Phone number not found."}},
        {"phoneNumber": "+4915112345678",
         "error": {"status": 404, "code": "IDENTIFIER_NOT_FOUND",
                   "message": "Phone number not found."}},
    ]}, r
    r = check(s, key, {"phoneNumbers": [held], "specifiedDate": day(-1)}, path=BATCH)
    assert r.status == 200 and r.json["results"][0]["error"]["code"] == \
        "SERVICE_NOT_APPLICABLE", r

    before = len(recorded(s, cid))
    assert_camara_error(check(s, key, {"phoneNumbers": [held] * 1001, "specifiedDate": day()},
                              path=BATCH), 400, "OUT_OF_RANGE")
    assert_camara_error(check(s, key, {"phoneNumbers": [], "specifiedDate": day()},
                              path=BATCH), 400, "INVALID_ARGUMENT")
    assert_camara_error(check(s, key, {"phoneNumbers": [held, "77011000001"],
                                       "specifiedDate": day()}, path=BATCH),
                        400, "INVALID_ARGUMENT")
    assert len(recorded(s, cid)) == before

    _, fresh = new_client(s)
    r = check(s, fresh, {"phoneNumbers": [held] * 1000, "specifiedDate": day()}, path=BATCH)
    assert r.status == 200 and len(r.json["results"]) == 1000, r.status


def test_each_client_is_rate_limited_with_retry_after(s):
    cid, key = new_client(s)
    _, other = new_client(s)
    held = s.demo_line("kcell", 11)
    # The burst is 1000 numbers, then one a second.
    r = check(s, key, {"phoneNumbers": [held] * 1000, "specifiedDate": day()}, path=BATCH)
    assert r.status == 200, r
    # A second full batch: refused however long the first took (a slow machine
    # refills a few numbers a second, never a thousand).
    r = check(s, key, {"phoneNumbers": [held] * 1000, "specifiedDate": day()},
              correlator="rl-1", path=BATCH)
    assert_camara_error(r, 429, "TOO_MANY_REQUESTS")
    assert int(r.headers["Retry-After"]) >= 1 and r.headers.get("x-correlator") == "rl-1", r
    assert len(recorded(s, cid)) == 1000
    # Another client of the same operator has its own budget.
    r = check(s, other, {"phoneNumber": held, "specifiedDate": day()})
    assert r.status == 200, r
