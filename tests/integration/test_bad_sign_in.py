"""Bad sign-in input: wrong, expired and burnt codes, limits, credentials.

As in test_bad_input.py, every refused request is checked for its status, the
problem's exact `code`, and a database snapshot equal before and after.
"""

import re
import time

from problem_asserts import assert_problem, line_with, refused, store


def code_for(s, msisdn):
    return re.search(r"\b(\d{6})\b", s.sms(msisdn)[-1]["text"]).group(1)


def wrong(code):
    return f"{(int(code) + 1) % 1000000:06d}"


def otp_row(s, msisdn):
    return s.db_query("SELECT * FROM sign_in_codes WHERE msisdn = ? ORDER BY id DESC LIMIT 1",
                      msisdn)[0]


def test_wrong_otp(simexit_no_worker):
    s = simexit_no_worker
    msisdn = line_with(s, "kcell", "small")
    # No code pending at all.
    refused(s, 401, "invalid_code",
            lambda: s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": "123456"}))
    assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202
    code = code_for(s, msisdn)
    before = s.snapshot()
    row = otp_row(s, msisdn)
    r = s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": wrong(code)})
    assert_problem(r, 401, "invalid_code")
    after = s.snapshot()
    # The only change is the attempt counter, which must survive the refusal.
    assert {t: v for t, v in after.items() if t != "sign_in_codes"} == \
        {t: v for t, v in before.items() if t != "sign_in_codes"}
    new_row = otp_row(s, msisdn)
    attempts = 6  # column index of sign_in_codes.attempts
    assert new_row[attempts] == row[attempts] + 1
    assert new_row[:attempts] + new_row[attempts + 1:] == row[:attempts] + row[attempts + 1:]
    assert s.db_query("SELECT count(*) FROM sessions") == [(0,)]
    # A code for another number does not work here either.
    refused(s, 401, "invalid_code",
            lambda: s.post("/v1/auth/otp/verify",
                           {"msisdn": line_with(s, "kcell", "bonus"), "code": code}))


def burn(s, msisdn, max_attempts):
    assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202, "no code sent"
    code = code_for(s, msisdn)
    for _ in range(max_attempts - 1):
        assert_problem(s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": wrong(code)}),
                       401, "invalid_code")
    assert_problem(s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": wrong(code)}),
                   429, "too_many_attempts")
    # Burnt: even the right code is refused now, and nothing changes.
    refused(s, 429, "too_many_attempts",
            lambda: s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": code}))
    refused(s, 429, "too_many_attempts",
            lambda: s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": wrong(code)}))
    assert s.db_query("SELECT count(*) FROM sessions") == [(0,)]


def test_otp_locked_after_policy_max_attempts(simexit_no_worker):
    s = simexit_no_worker
    burn(s, line_with(s, "kcell", "small"), 5)  # default policy


def test_otp_attempt_limit_follows_the_operator_policy(simexit_no_worker):
    s = simexit_no_worker
    r = s.request("PUT", "/v1/operators/beeline/policy",
                  body={"termination_fee": "500.00", "quarantine_days": 90,
                        "otp": {"max_attempts": 2}},
                  token=s.keys["admin"])
    assert r.status == 200 and r.json["policy"]["otp"]["max_attempts"] == 2, r
    burn(s, line_with(s, "beeline", "small"), 2)


def test_expired_otp(simexit_no_worker):
    s = simexit_no_worker
    msisdn = line_with(s, "kcell", "small")
    assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202
    code = code_for(s, msisdn)
    s.db_query("UPDATE sign_in_codes SET expires_at = ? WHERE msisdn = ?",
               int(time.time()) - 1, msisdn)
    # An expired code is answered exactly like a wrong one and counts as a
    # guess (docs/security.md), so only the attempt counter changes.
    before = s.snapshot()
    expired = assert_problem(
        s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": code}), 401, "invalid_code")
    after = s.snapshot()
    assert {t: v for t, v in after.items() if t != "sign_in_codes"} == \
        {t: v for t, v in before.items() if t != "sign_in_codes"}
    wrong_answer = assert_problem(
        s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": wrong(code)}), 401, "invalid_code")
    assert expired["detail"] == wrong_answer["detail"], (expired, wrong_answer)
    assert "expired" not in expired["detail"], expired
    assert s.db_query("SELECT count(*) FROM sessions") == [(0,)]


def test_resend_within_cooldown(simexit_no_worker):
    s = simexit_no_worker
    msisdn = line_with(s, "kcell", "small")
    assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202
    problem = refused(s, 429, "resend_too_soon",
                      lambda: s.post("/v1/auth/otp", {"msisdn": msisdn}))
    assert "wait" in problem["detail"], problem
    # The first code still works.
    r = s.post("/v1/auth/otp/verify", {"msisdn": msisdn, "code": code_for(s, msisdn)})
    assert r.status == 200, r


def test_too_many_codes_per_hour(simexit_no_worker):
    s = simexit_no_worker
    r = s.request("PUT", "/v1/operators/kcell/policy",
                  body={"otp": {"resend_cooldown_seconds": 0, "max_codes_per_hour": 3}},
                  token=s.keys["admin"])
    assert r.status == 200, r
    msisdn = line_with(s, "kcell", "small")
    for _ in range(3):
        assert s.post("/v1/auth/otp", {"msisdn": msisdn}).status == 202
    refused(s, 429, "too_many_codes", lambda: s.post("/v1/auth/otp", {"msisdn": msisdn}))
    assert len(s.sms(msisdn)) == 3


# ---------------------------------------------------------- authentication


def test_missing_or_bad_credentials(simexit_no_worker):
    s = simexit_no_worker
    msisdn = line_with(s, "kcell", "small")
    bad_auth = [
        None,
        "Bearer ",
        "Bearer nonsense",
        "Basic dXNlcjpwYXNz",
        "Bearer sk_kcell_" + "0" * 48,
        "Bearer st_" + "0" * 64,
        "Bearer " + s.keys["kcell"] + "x",
    ]
    for auth in bad_auth:
        headers = {"Authorization": auth} if auth else {}
        for method, path, body in [
            ("GET", f"/v1/lines/{msisdn}", None),
            ("GET", "/v1/terminations", None),
            ("POST", "/v1/terminations", store(s, msisdn)),
            ("GET", "/v1/operators", None),
        ]:
            refused(s, 401, "unauthenticated",
                    lambda: s.request(method, path, body=body, headers=headers))


def test_bearer_scheme_is_case_insensitive(simexit_no_worker):
    s = simexit_no_worker
    r = s.get("/v1/lines/" + line_with(s, "kcell", "small"),
              headers={"Authorization": "bearer " + s.keys["kcell"]})
    assert r.status == 200, r


def test_admin_routes_hidden_from_holders_and_operators(simexit_no_worker):
    s = simexit_no_worker
    holder = s.sign_in(line_with(s, "kcell", "small"))
    operator = s.keys["kcell"]
    new_operator = {"code": "izi", "name": "izi"}
    policy = {"quarantine_days": 30}
    for token in [holder, operator]:
        refused(s, 404, "route_not_found",
                lambda: s.post("/v1/operators", new_operator, token=token))
        refused(s, 404, "route_not_found",
                lambda: s.post("/v1/operators/kcell/api-keys", {}, token=token))
    refused(s, 404, "route_not_found", lambda: s.get("/v1/operators", token=holder))
    refused(s, 404, "route_not_found", lambda: s.get("/v1/operators/kcell", token=holder))
    # The policy: hidden from holders; an operator API key sees its own operator
    # but may not change its policy (that is for admins and operator_admin
    # staff), and another operator's is not there at all.
    refused(s, 404, "route_not_found",
            lambda: s.request("PUT", "/v1/operators/kcell/policy", body=policy, token=holder))
    refused(s, 403, "insufficient_role",
            lambda: s.request("PUT", "/v1/operators/kcell/policy", body=policy, token=operator))
    refused(s, 404, "operator_not_found",
            lambda: s.request("PUT", "/v1/operators/beeline/policy", body=policy,
                              token=operator))
    # Control: the admin can do it, and Kcell's operator_admin can set Kcell's policy.
    r = s.post("/v1/operators", new_operator, token=s.keys["admin"])
    assert r.status == 201, r
    r = s.request("PUT", "/v1/operators/kcell/policy", body=policy,
                  token=s.staff_token("kcell.admin"))
    assert r.status == 200 and r.json["policy"]["quarantine_days"] == 30, r




def test_otp_for_an_unknown_number_sends_nothing(simexit_no_worker):
    """A well-formed number that is no active line gets the same 202 as a
    real one (no enumeration) and nothing is sent. Like a real one it gets a
    challenge row (a code stored hashed, never sent), so that the limits and
    the work are the same (docs/security.md); nothing else is stored."""
    s = simexit_no_worker
    before = s.snapshot()
    r = s.post("/v1/auth/otp", {"msisdn": "+77079999999"})
    assert r.status == 202 and r.json["status"] == "sent", r
    after = s.snapshot()
    assert {t: v for t, v in after.items() if t != "sign_in_codes"} == \
        {t: v for t, v in before.items() if t != "sign_in_codes"}
    assert s.db_query("SELECT count(*) FROM sign_in_codes WHERE msisdn = ?",
                      "+77079999999") == [(1,)]
    assert s.sms() == []
