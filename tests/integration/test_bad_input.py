"""Bad input is refused with a specific RFC 9457 problem and changes nothing.

Every refused request below is checked for: its HTTP status, Content-Type
application/problem+json, the exact `code`, a non-empty `detail`, a
`request_id` equal to the X-Request-Id header, and a database snapshot (every
row of every table) equal before and after the request. Most tests run without
the job worker so nothing moves in the background; the ones that need the
worker wait until it is idle before taking a snapshot.
"""

import http.client
import json
import threading
import time

import pytest
from conftest import Response
from bad_input_helpers import VALID_IBAN, future
from problem_asserts import assert_problem, header, line_with, refused, store


def test_snapshot_sees_a_change(simexit_no_worker):
    """The guard itself: an accepted request does change the snapshot, so
    `refused` can fail."""
    s = simexit_no_worker
    before = s.snapshot()
    assert s.post("/v1/auth/otp", {"msisdn": line_with(s, "kcell", "small")}).status == 202
    after = s.snapshot()
    assert after != before
    assert len(after["sign_in_codes"]) == len(before["sign_in_codes"]) + 1
    assert set(before) >= {"lines", "terminations", "termination_events", "postings",
                           "ledger_entries", "jobs", "sign_in_codes", "sessions"}


# ---------------------------------------------- malformed and mistyped bodies


BODY_CASES = [
    # (name, raw body or JSON value, expected code, a word the detail names)
    ("truncated", b'{"msisdn":', "malformed_json", "JSON"),
    ("empty", b"", "malformed_json", "JSON"),
    ("trailing_garbage", b'{"msisdn": "+77751000002"} and more', "malformed_json", "JSON"),
    ("invalid_utf8", b'{"msisdn": "\xff\xfe"}', "malformed_json", "JSON"),
    ("too_deep", b"[" * 5000, "malformed_json", "JSON"),
    ("array", ["+77011000001"], "malformed_json", "object"),
    ("string", "+77011000001", "malformed_json", "object"),
    ("unknown_field", {"colour": "red"}, "unknown_field", "colour"),
    ("wrong_type", {"msisdn": 77011000001}, "invalid_field", "msisdn"),
    ("missing", {}, "invalid_field", "msisdn"),
]


@pytest.mark.parametrize("path", ["/v1/auth/otp", "/v1/auth/otp/verify", "/v1/terminations"])
@pytest.mark.parametrize("name,body,code,word", BODY_CASES, ids=[c[0] for c in BODY_CASES])
def test_malformed_or_mistyped_body(simexit_no_worker, path, name, body, code, word):
    s = simexit_no_worker
    msisdn = line_with(s, "kcell", "small")
    token = s.keys["kcell"] if path == "/v1/terminations" else None
    if isinstance(body, bytes):
        raw = body
    else:
        if isinstance(body, dict):
            # Otherwise-valid bodies, so only the defect under test is wrong.
            base = {"msisdn": msisdn}
            if path == "/v1/auth/otp/verify":
                base["code"] = "123456"
            if path == "/v1/terminations":
                base["channel"] = "store"
                base["document"] = s.holder_document(msisdn)
            if name == "missing":
                base.pop("msisdn")
            base.update(body)
            body = base
        raw = json.dumps(body).encode()
    problem = refused(s, 400, code, lambda: s.request("POST", path, token=token, raw=raw))
    assert word in problem["detail"], problem


def test_mistyped_nested_and_optional_fields(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    msisdn = line_with(s, "kcell", "refund")
    cases = [
        ({"msisdn": msisdn, "channel": 1}, "invalid_field", "channel"),
        ({"msisdn": msisdn, "scheduled_for": 1767225600}, "invalid_field", "scheduled_for"),
        ({"msisdn": msisdn, "reason": ["x"]}, "invalid_field", "reason"),
        ({"msisdn": msisdn, "reason": "x" * 501}, "text_too_long", "500"),
        ({"msisdn": msisdn, "refund": "iban"}, "invalid_field", "refund"),
        ({"msisdn": msisdn, "refund": {"method": "iban"}}, "invalid_field", "destination"),
        ({"msisdn": msisdn, "refund": {"method": "iban", "destination": VALID_IBAN, "x": 1}},
         "unknown_field", "'x'"),
    ]
    for body, code, word in cases:
        problem = refused(s, 400, code, lambda: s.post("/v1/terminations", body, token=key))
        assert word in problem["detail"], (body, problem)
    # Control: the same line is a fine target once the body is right.
    r = s.post("/v1/terminations",
               {"msisdn": msisdn, "refund": {"method": "iban", "destination": VALID_IBAN}},
               token=key)
    assert r.status == 201, r


def test_free_text_is_limited_in_characters(simexit_no_worker):
    """Reasons are limited to 500 characters (not bytes), names to 200; the
    problem names the field (docs/security.md)."""
    s = simexit_no_worker
    key = s.keys["kcell"]
    msisdn = line_with(s, "kcell", "refund")
    refund = {"method": "iban", "destination": VALID_IBAN}
    problem = refused(s, 400, "text_too_long", lambda: s.post(
        "/v1/terminations", {"msisdn": msisdn, "refund": refund, "reason": "Ж" * 501}, token=key))
    assert problem["field"] == "reason" and "500 characters" in problem["detail"], problem
    other = line_with(s, "kcell", "small")
    document = {**s.holder_document(other), "full_name": "Ә" * 201}
    problem = refused(s, 400, "text_too_long", lambda: s.post(
        "/v1/terminations", {"msisdn": other, "channel": "store", "document": document},
        token=key))
    assert problem["field"] == "document.full_name", problem
    # 500 Cyrillic letters are 1000 bytes and still a valid reason. Scheduled,
    # so that it can still be cancelled.
    later = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 30 * 86400))
    r = s.post("/v1/terminations", {"msisdn": msisdn, "refund": refund, "reason": "Ж" * 500,
                                    "scheduled_for": later}, token=key)
    assert r.status == 201 and r.json["state"] == "scheduled", r
    tid = r.json["id"]
    problem = refused(s, 400, "text_too_long", lambda: s.post(
        f"/v1/terminations/{tid}/cancel", {"reason": "Ж" * 501}, token=key))
    assert problem["field"] == "reason", problem
    assert s.post(f"/v1/terminations/{tid}/cancel", {"reason": "Ж" * 500}, token=key).status == 200


# ------------------------------------------------------------- bad MSISDNs


BAD_MSISDNS = [
    ("+79161234567", "Russian"),  # valid Russian mobile, not Kazakhstan
    ("+770112", "10 digits"),  # too short
    ("+7701abc4567", "digits"),  # letters
    ("+77172123456", "fixed-line"),  # Astana landline
    ("+997 701 123 4567", "+997"),
    ("+770112345678", "10 digits"),  # too long
]


@pytest.mark.parametrize("msisdn,word", BAD_MSISDNS, ids=[m for m, _ in BAD_MSISDNS])
def test_bad_msisdn(simexit_no_worker, msisdn, word):
    s = simexit_no_worker
    key = s.keys["kcell"]
    for send in [
        lambda: s.post("/v1/auth/otp", {"msisdn": msisdn}),
        lambda: s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": "123456"}),
        lambda: s.post("/v1/terminations",
                       {"msisdn": msisdn, "channel": "store",
                        "document": s.holder_document(line_with(s, "kcell", "small"))},
                       token=key),
    ]:
        problem = refused(s, 400, "invalid_msisdn", send)
        assert word in problem["detail"], problem
    if " " not in msisdn:  # path forms
        for path in [f"/v1/lines/{msisdn}", f"/v1/lines/{msisdn}/termination-quote"]:
            problem = refused(s, 400, "invalid_msisdn", lambda: s.get(path, token=key))
            assert word in problem["detail"], problem


# ------------------------------------------------- another operator's line


def test_line_of_another_operator_is_not_found(simexit_no_worker):
    s = simexit_no_worker
    kcell_line = line_with(s, "kcell", "bonus")
    beeline = s.keys["beeline"]
    refused(s, 404, "line_not_found", lambda: s.get(f"/v1/lines/{kcell_line}", token=beeline))
    refused(s, 404, "line_not_found",
            lambda: s.get(f"/v1/lines/{kcell_line}/termination-quote", token=beeline))
    # With the holder's real document or a wrong one alike: the line is looked
    # up before any evidence is matched, so no answer tells Beeline that the
    # line exists or whose it is.
    refused(s, 404, "line_not_found",
            lambda: s.post("/v1/terminations", store(s, kcell_line), token=beeline))
    refused(s, 404, "line_not_found",
            lambda: s.post("/v1/terminations",
                           store(s, kcell_line, document=s.holder_document(
                               kcell_line, full_name="SOMEONE ELSE")), token=beeline))
    # Without a document the answer is the same as for a number nobody holds.
    before = s.snapshot()
    bare = {"msisdn": kcell_line, "channel": "store"}
    seen = s.post("/v1/terminations", bare, token=beeline)
    unknown = s.post("/v1/terminations", dict(bare, msisdn="+77079999999"), token=beeline)
    assert seen.status in (400, 404), seen
    assert (seen.status, seen.json["code"]) == (unknown.status, unknown.json["code"]), \
        (seen, unknown)
    assert s.snapshot() == before
    # A holder signed in on one line cannot see another line either.
    holder = s.sign_in(line_with(s, "kcell", "small"))
    refused(s, 404, "line_not_found", lambda: s.get(f"/v1/lines/{kcell_line}", token=holder))
    refused(s, 404, "line_not_found",
            lambda: s.post("/v1/terminations", {"msisdn": kcell_line}, token=holder))
    # Kcell's termination of its line is invisible to Beeline and the holder.
    r = s.post("/v1/terminations", store(s, kcell_line, scheduled_for=future(30)),
               token=s.keys["kcell"])
    assert r.status == 201 and r.json["state"] == "scheduled", r
    tid = r.json["id"]
    for token in [beeline, holder]:
        refused(s, 404, "termination_not_found",
                lambda: s.get(f"/v1/terminations/{tid}", token=token))
        refused(s, 404, "termination_not_found",
                lambda: s.post(f"/v1/terminations/{tid}/cancel", {}, token=token))
        refused(s, 404, "termination_not_found",
                lambda: s.get(f"/v1/terminations/{tid}/certificate", token=token))
    refused(s, 404, "termination_not_found",
            lambda: s.post(f"/v1/terminations/{tid}/payments", {"amount": "0.00"},
                           token=beeline))
    r = s.get("/v1/terminations", token=beeline)
    assert r.status == 200 and r.json["items"] == [], r


# ---------------------------------------------------- illegal state changes


def test_illegal_state_changes(simexit):
    s = simexit
    key = s.keys["kcell"]
    # A termination that ran to its end (real HLR, in-process worker).
    msisdn = line_with(s, "kcell", "bonus")
    r = s.post("/v1/terminations", store(s, msisdn), token=key)
    assert r.status == 201, r
    done = r.json["id"]
    assert s.wait_state(done, key, {"terminated"})["state"] == "terminated"
    s.wait_jobs_idle()
    problem = refused(s, 409, "illegal_transition",
                      lambda: s.post(f"/v1/terminations/{done}/cancel", {}, token=key))
    assert "terminated" in problem["detail"], problem
    refused(s, 409, "illegal_transition",
            lambda: s.post(f"/v1/terminations/{done}/payments", {"amount": "0.00"}, token=key))
    # A new termination of a terminated line is refused as well.
    refused(s, 409, "line_not_active",
            lambda: s.post("/v1/terminations", store(s, msisdn), token=key))

    # Payment on a termination that waits for its date, not for money.
    debt_line = line_with(s, "kcell", "debt")
    r = s.post("/v1/terminations", store(s, debt_line, scheduled_for=future(10)), token=key)
    assert r.status == 201 and r.json["state"] == "scheduled", r
    scheduled = r.json["id"]
    s.wait_jobs_idle()
    problem = refused(s, 409, "illegal_transition",
                      lambda: s.post(f"/v1/terminations/{scheduled}/payments",
                                     {"amount": "1000.00"}, token=key))
    assert "scheduled" in problem["detail"], problem

    # Cancelled is final: a second cancel is refused.
    r = s.post(f"/v1/terminations/{scheduled}/cancel", {"reason": "changed my mind"}, token=key)
    assert r.status == 200 and r.json["state"] == "cancelled", r
    s.wait_jobs_idle()
    refused(s, 409, "illegal_transition",
            lambda: s.post(f"/v1/terminations/{scheduled}/cancel", {}, token=key))


def test_payment_of_the_wrong_amount_or_by_the_holder(simexit):
    s = simexit
    key = s.keys["kcell"]
    debt_line = line_with(s, "kcell", "debt")
    holder = s.sign_in(debt_line)
    r = s.post("/v1/terminations", store(s, debt_line), token=key)
    assert r.status == 201, r
    tid = r.json["id"]
    t = s.wait_state(tid, key, {"awaiting_payment"})
    due = t["settlement"]["amount_due"]
    assert due == "1000.00", t
    s.wait_jobs_idle()
    refused(s, 400, "wrong_amount",
            lambda: s.post(f"/v1/terminations/{tid}/payments", {"amount": "1.00"}, token=key))
    refused(s, 400, "invalid_amount",
            lambda: s.post(f"/v1/terminations/{tid}/payments", {"amount": "lots"}, token=key))
    refused(s, 400, "invalid_field",
            lambda: s.post(f"/v1/terminations/{tid}/payments", {"amount": 1000}, token=key))
    # Only the operator records payments.
    refused(s, 404, "termination_not_found",
            lambda: s.post(f"/v1/terminations/{tid}/payments", {"amount": due}, token=holder))


def test_bad_cancel_and_payment_bodies(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    r = s.post("/v1/terminations", store(s, line_with(s, "kcell", "debt"), scheduled_for=future(3)),
               token=key)
    assert r.status == 201 and r.json["state"] == "scheduled", r
    tid = r.json["id"]
    for path, raw, code in [
        ("cancel", b'{"reason": ', "malformed_json"),
        ("cancel", b'["no"]', "malformed_json"),
        ("cancel", b'{"why": "x"}', "unknown_field"),
        ("cancel", b'{"reason": 5}', "invalid_field"),
        ("payments", b"", "malformed_json"),
        ("payments", b'{"amount": "1000.00", "currency": "USD"}', "unknown_field"),
        ("payments", b'{"amount": "10.001"}', "invalid_amount"),
    ]:
        refused(s, 400, code,
                lambda: s.request("POST", f"/v1/terminations/{tid}/{path}", raw=raw, token=key))
    assert s.get(f"/v1/terminations/{tid}", token=key).json["state"] == "scheduled"
    refused(s, 404, "termination_not_found",
            lambda: s.post("/v1/terminations/trm_nosuch/cancel", {}, token=key))


# --------------------------------------------------------- idempotency keys


def test_reused_idempotency_key_with_a_different_body(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    first_line = line_with(s, "kcell", "bonus")
    other_line = line_with(s, "kcell", "small")
    headers = {"Idempotency-Key": "order-42"}
    body = store(s, first_line, scheduled_for=future(5))
    r = s.post("/v1/terminations", body, token=key, headers=headers)
    assert r.status == 201, r
    tid = r.json["id"]
    # The same request again is a replay: same answer, nothing new.
    before = s.snapshot()
    r = s.post("/v1/terminations", body, token=key, headers=headers)
    assert r.status == 201 and r.json["id"] == tid, r
    assert header(r, "Idempotent-Replayed") == "true", r.headers
    assert s.snapshot() == before
    # The same key with another body is refused, for another line too.
    for changed in [dict(body, reason="other"), store(s, other_line, scheduled_for=future(5))]:
        problem = refused(s, 409, "idempotency_key_reused",
                          lambda: s.post("/v1/terminations", changed, token=key,
                                         headers=headers))
        assert "Idempotency-Key" in problem["detail"], problem
    assert s.db_query("SELECT id FROM terminations") == [(tid,)]
    r = s.get(f"/v1/lines/{other_line}", token=key)
    assert r.status == 200 and r.json["open_termination"] is None, r
    # Another caller's identical key is its own scope (not a reuse).
    r = s.post("/v1/terminations",
               store(s, line_with(s, "beeline", "bonus"), scheduled_for=future(5)),
               token=s.keys["beeline"], headers=headers)
    assert r.status == 201 and r.json["id"] != tid, r
    refused(s, 400, "invalid_idempotency_key",
            lambda: s.post("/v1/terminations", store(s, other_line, scheduled_for=future(5)),
                           token=key, headers={"Idempotency-Key": "k" * 201}))


def test_concurrent_submissions(simexit_no_worker):
    """Eight simultaneous retries with one key make one termination; eight
    simultaneous requests with different keys for one line make one, and the
    others are refused."""
    s = simexit_no_worker
    key = s.keys["kcell"]
    body = store(s, line_with(s, "kcell", "bonus"), scheduled_for=future(5))
    results = []

    def send(idempotency_key, payload):
        results.append(s.post("/v1/terminations", payload, token=key,
                              headers={"Idempotency-Key": idempotency_key}))

    threads = [threading.Thread(target=send, args=("same", body)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert [r.status for r in results] == [201] * 8, results
    assert len({r.json["id"] for r in results}) == 1, results
    assert s.db_query("SELECT count(*) FROM terminations") == [(1,)]

    results.clear()
    other = store(s, line_with(s, "kcell", "small"), scheduled_for=future(5))
    threads = [threading.Thread(target=send, args=(f"k{i}", other)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.status for r in results) == [201] + [409] * 7, results
    for r in results:
        if r.status == 409:
            assert_problem(r, 409, "termination_exists")
    assert s.db_query("SELECT count(*) FROM terminations") == [(2,)]


# ------------------------------------------------------------ oversized body


def test_oversized_body(simexit_no_worker):
    s = simexit_no_worker
    msisdn = line_with(s, "kcell", "small")
    # Valid JSON padded past the configured 16384 bytes.
    raw = json.dumps({"msisdn": msisdn}).encode() + b" " * 17000
    problem = refused(s, 413, "body_too_large",
                      lambda: s.request("POST", "/v1/auth/otp", raw=raw))
    assert "16384" in problem["detail"], problem
    key = s.keys["kcell"]
    raw = json.dumps(store(s, msisdn, reason="x" * 20000)).encode()
    refused(s, 413, "body_too_large",
            lambda: s.request("POST", "/v1/terminations", raw=raw, token=key))
    # The server still answers, and a body just under the limit is read.
    assert s.get("/v1/health").status == 200
    raw = b'{"msisdn": "+79161234567"}' + b" " * 16000
    refused(s, 400, "invalid_msisdn", lambda: s.request("POST", "/v1/auth/otp", raw=raw))
    r = s.get(f"/v1/lines/{msisdn}", token=key)
    assert r.status == 200, r


def test_oversized_chunked_body(simexit_no_worker):
    """No Content-Length: the limit holds while the chunks arrive."""
    s = simexit_no_worker
    before = s.snapshot()
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=15)
    try:
        chunks = [b'{"msisdn": "' + line_with(s, "kcell", "small").encode() + b'"}']
        chunks += [b" " * 1024] * 20
        conn.request("POST", "/v1/auth/otp", body=iter(chunks), encode_chunked=True,
                     headers={"Content-Type": "application/json",
                              "Transfer-Encoding": "chunked"})
        resp = conn.getresponse()
        r = Response(resp.status, resp.read().decode(), dict(resp.headers))
    finally:
        conn.close()
    assert_problem(r, 413, "body_too_large")
    assert s.snapshot() == before
    assert s.sms() == []
    assert s.get("/v1/health").status == 200


# ----------------------------------------------------------------- queries


def test_invalid_list_query(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    for query, word in [("state=bogus", "state"), ("limit=0", "limit"), ("limit=1001", "limit"),
                        ("limit=abc", "limit"), ("limit=99999999999999999999", "limit"),
                        ("limit=-5", "limit")]:
        problem = refused(s, 400, "invalid_query",
                          lambda: s.get(f"/v1/terminations?{query}", token=key))
        assert word in problem["detail"], (query, problem)


# ------------------------------------------------------------------ routing


def test_unknown_route_and_wrong_method(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    for path in ["/v1/nope", "/v2/health", "/v1/lines", "/v1/terminations/x/y/z"]:
        refused(s, 404, "route_not_found", lambda: s.get(path, token=key))
    # A client's own X-Request-Id is echoed in the problem.
    r = s.get("/v1/nope", token=key, headers={"X-Request-Id": "it-bad-input.1"})
    assert assert_problem(r, 404, "route_not_found")["request_id"] == "it-bad-input.1"
    # Path parameters are percent-decoded; a broken escape is a bad request target.
    msisdn = line_with(s, "kcell", "small")
    r = s.get("/v1/lines/%2B" + msisdn[1:], token=key)
    assert r.status == 200 and r.json["msisdn"] == msisdn, r
    refused(s, 400, "invalid_msisdn", lambda: s.get("/v1/lines/%2B79161234567", token=key))
    refused(s, 400, "bad_request", lambda: s.get("/v1/lines/%ZZ", token=key))
    for method, path, allowed in [
        ("DELETE", "/v1/terminations", {"GET", "POST"}),
        ("PUT", "/v1/auth/otp", {"POST"}),
        ("GET", "/v1/auth/otp/verify", {"POST"}),
        ("POST", "/v1/health", {"GET"}),
        ("DELETE", "/v1/operators/kcell/policy", {"PUT"}),
    ]:
        r = s.request(method, path, token=key)
        refused(s, 405, "method_not_allowed", lambda: s.request(method, path, token=key))
        allow = header(r, "Allow")
        assert allow and {m.strip() for m in allow.split(",")} == allowed, (path, r.headers)
