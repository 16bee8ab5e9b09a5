"""Requests that break a rule: refund instructions, debt, schedule bounds,
channels the policy refuses, and invalid policies.

As in test_bad_input.py, every refused request is checked for its status, the
problem's exact `code`, and a database snapshot equal before and after.
"""

import json
import time

from bad_input_helpers import BAD_IBAN, VALID_CARD, BAD_CARD, future, upload_scan, days_ago
from problem_asserts import line_with, refused, store


# ------------------------------------------- refunds, debt, schedule, channel


def test_invalid_refund(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    msisdn = line_with(s, "kcell", "refund")
    for refund, word in [
        ({"method": "iban", "destination": BAD_IBAN}, "check digits"),
        ({"method": "iban", "destination": "KZ12"}, "IBAN"),
        ({"method": "bank_card", "destination": BAD_CARD}, "check digit"),
        ({"method": "bank_card", "destination": "4111-1111"}, "13 to 19"),
        ({"method": "cash", "destination": "in hand"}, "refund.method"),
        ({"method": "other_line", "destination": msisdn}, "line being closed"),
        ({"method": "other_line", "destination": "+79161234567"}, "Russian"),
    ]:
        problem = refused(s, 400, "invalid_refund",
                          lambda: s.post("/v1/terminations",
                                         {"msisdn": msisdn, "refund": refund}, token=key))
        assert word in problem["detail"], (refund, problem)
    # Control: valid destinations are accepted (the card is stored masked).
    r = s.post("/v1/terminations",
               store(s, msisdn, refund={"method": "bank_card", "destination": VALID_CARD}),
               token=key)
    assert r.status == 201 and r.json["refund"]["destination"] == "**** 1111", r


def test_refund_method_not_allowed_by_policy(simexit_no_worker):
    s = simexit_no_worker
    r = s.request("PUT", "/v1/operators/kcell/policy", body={"refund_methods": ["iban"]},
                  token=s.keys["admin"])
    assert r.status == 200, r
    msisdn = line_with(s, "kcell", "refund")
    refused(s, 400, "invalid_refund",
            lambda: s.post("/v1/terminations",
                           {"msisdn": msisdn,
                            "refund": {"method": "bank_card", "destination": VALID_CARD}},
                           token=s.keys["kcell"]))


def test_refund_required_and_debt_outstanding(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    refund_line = line_with(s, "kcell", "refund")
    problem = refused(s, 409, "refund_method_required",
                      lambda: s.post("/v1/terminations", {"msisdn": refund_line}, token=key))
    assert "2800.00" in problem["detail"] or "2500.00" in problem["detail"], problem
    debt_line = line_with(s, "kcell", "debt")
    holder = s.sign_in(debt_line)
    for token in [key, holder]:
        problem = refused(s, 409, "debt_outstanding",
                          lambda: s.post("/v1/terminations",
                                         {"msisdn": debt_line, "channel": "online"},
                                         token=token))
        assert "1000.00" in problem["detail"], problem


def test_invalid_schedule(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    msisdn = line_with(s, "kcell", "bonus")
    for when, word in [
        ("2001-01-01T00:00:00Z", "future"),
        (time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() - 60)), "future"),
        ("garbage", "RFC 3339"),
        ("2026-13-45T99:00:00Z", "RFC 3339"),
        (future(400), "a year"),
    ]:
        problem = refused(s, 400, "invalid_schedule",
                          lambda: s.post("/v1/terminations",
                                         store(s, msisdn, scheduled_for=when), token=key))
        assert word in problem["detail"], (when, problem)


def test_invalid_channel(simexit_no_worker):
    s = simexit_no_worker
    msisdn = line_with(s, "kcell", "bonus")
    problem = refused(s, 400, "invalid_channel",
                      lambda: s.post("/v1/terminations", {"msisdn": msisdn, "channel": "fax"},
                                     token=s.keys["kcell"]))
    assert "online" in problem["detail"], problem
    holder = s.sign_in(msisdn)
    for channel in ["store", "proxy", "fax"]:
        refused(s, 400, "invalid_channel",
                lambda: s.post("/v1/terminations", {"msisdn": msisdn, "channel": channel},
                               token=holder))


def test_channel_not_allowed_by_policy(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    r = s.request("PUT", "/v1/operators/kcell/policy",
                  body={"allowed_channels": ["online", "store"]}, token=s.keys["admin"])
    assert r.status == 200, r
    # A complete mail application (document, postmark, scan), so the policy is
    # the only thing wrong with it.
    msisdn = line_with(s, "kcell", "bonus")
    mail = {"msisdn": msisdn, "channel": "mail", "document": s.holder_document(msisdn),
            "postmarked_on": days_ago(2), "upload_ids": [upload_scan(s, key)]}
    refused(s, 403, "channel_not_allowed", lambda: s.post("/v1/terminations", mail, token=key))
    # Control: once the policy accepts mail, the same application is taken.
    r = s.request("PUT", "/v1/operators/kcell/policy",
                  body={"allowed_channels": ["online", "store", "mail"]}, token=s.keys["admin"])
    assert r.status == 200, r
    r = s.post("/v1/terminations", mail, token=key)
    assert r.status == 201 and r.json["channel"] == "mail", r


# ------------------------------------------------------------------ policy


def test_invalid_policy(simexit_no_worker):
    s = simexit_no_worker
    admin = s.keys["admin"]
    policy_before = s.get("/v1/operators/kcell", token=admin).json["policy"]
    for body, code, word in [
        ({"otp": {"length": 3}}, "invalid_policy", "otp.length"),
        ({"otp": {"lenght": 6}}, "invalid_policy", "otp.lenght"),
        ({"bogus": 1}, "invalid_policy", "bogus"),
        ({"quarantine_days": "ninety"}, "invalid_policy", "quarantine_days"),
        ({"termination_fee": "-5.00"}, "invalid_policy", "termination_fee"),
        ({"allowed_channels": []}, "invalid_policy", "allowed_channels"),
        ({"refund_methods": ["cash"]}, "invalid_policy", "cash"),
        ([1, 2], "invalid_policy", "object"),
        (b'{"otp": ', "malformed_json", "JSON"),
    ]:
        raw = body if isinstance(body, bytes) else json.dumps(body).encode()
        problem = refused(s, 400, code,
                          lambda: s.request("PUT", "/v1/operators/kcell/policy", raw=raw,
                                            token=admin))
        assert word in problem["detail"], (body, problem)
    assert s.get("/v1/operators/kcell", token=admin).json["policy"] == policy_before
    refused(s, 404, "operator_not_found",
            lambda: s.request("PUT", "/v1/operators/nosuch/policy", body={}, token=admin))
