"""An edge on the internet says nothing it need not (docs/security.md).

Sign-in codes answer a customer's number and any other number alike; the
anonymous confirmation endpoints answer everything but a right code alike.
"""

import re
import statistics


def unknown_numbers(s, count):
    """Valid Kazakh mobile numbers that are not demo lines."""
    out = []
    n = 0
    while len(out) < count:
        msisdn = f"+7747{9000000 + n:07d}"
        n += 1
        if msisdn not in s.lines:
            out.append(msisdn)
    return out


def answer(r):
    """What a caller sees of an answer, less what differs on every request
    (the request id, and the seconds left in a cool-down)."""
    body = dict(r.json)
    body.pop("request_id", None)
    if "detail" in body:
        body["detail"] = re.sub(r"\d+", "N", body["detail"])
    names = sorted(k.lower() for k in r.headers if k.lower() not in ("date",))
    return r.status, body, names, r.headers.get("Content-Type")


def test_sign_in_answers_a_customer_and_an_unknown_number_alike(simexit_no_worker):
    s = simexit_no_worker
    customer = s.demo_line("kcell", 1)
    [unknown] = unknown_numbers(s, 1)
    inactive = s.demo_line("kcell", 2)
    s.db_query("UPDATE lines SET status = 'quarantined' WHERE msisdn = ?", inactive)

    def both(path, body_for):
        return [answer(s.post(path, body_for(m))) for m in (customer, unknown, inactive)]

    first = both("/v1/auth/otp", lambda m: {"msisdn": m})
    assert first[0][0] == 202 and first[0] == first[1] == first[2], first
    again = both("/v1/auth/otp", lambda m: {"msisdn": m})
    assert again[0][1]["code"] == "resend_too_soon", again
    assert again[0] == again[1] == again[2], again
    wrong = both("/v1/auth/otp/verify", lambda m: {"msisdn": m, "code": "000000"})
    assert wrong[0][1]["code"] == "invalid_code", wrong
    assert wrong[0] == wrong[1] == wrong[2], wrong
    # Every number got a challenge row; only the customer got an SMS.
    for m in (customer, unknown, inactive):
        assert s.db_query("SELECT count(*) FROM sign_in_codes WHERE msisdn = ?", m) == [(1,)]
    assert len(s.sms(customer)) == 1 and s.sms(unknown) == [] and s.sms(inactive) == []


def test_sign_in_codes_are_limited_per_client_for_any_number(simexit_no_worker):
    s = simexit_no_worker
    numbers = [s.demo_line(op, n) for op in ("kcell", "beeline", "tele2") for n in range(12)]
    numbers += unknown_numbers(s, 10)
    answers = [s.post("/v1/auth/otp", {"msisdn": m}).status for m in numbers[:30]]
    assert answers == [202] * 30, answers
    for m in numbers[30:32] + numbers[-2:]:
        r = s.post("/v1/auth/otp", {"msisdn": m})
        assert r.status == 429 and r.json["code"] == "too_many_codes", r


def test_sign_in_takes_about_as_long_for_a_customer_as_for_an_unknown_number(simexit_no_worker):
    """Medians of N requests each, with a generous bound: this catches an
    early return (no hashing, no writes), not microsecond differences. The SMS
    is sent after the answer (docs/security.md), so an SMSC's round trip is in
    neither; `elapsed` is the answer's time alone."""
    s = simexit_no_worker
    customers = [s.demo_line("kcell", n) for n in range(12)]
    unknown = unknown_numbers(s, 12)

    def timed(m):
        r = s.post("/v1/auth/otp", {"msisdn": m})
        assert r.status == 202, r
        return r.elapsed

    times_c, times_u = [], []
    for c, u in zip(customers, unknown):  # interleaved, so load hits both alike
        times_c.append(timed(c))
        times_u.append(timed(u))
    med_c, med_u = statistics.median(times_c), statistics.median(times_u)
    assert med_c < 3 * med_u + 0.05 and med_u < 3 * med_c + 0.05, (med_c, med_u)


def test_confirmation_endpoints_answer_everything_but_a_right_code_alike(simexit_no_worker):
    s = simexit_no_worker
    phone = s.staff_token("kcell.phone")
    msisdn = s.demo_line("kcell", 5)
    r = s.post("/v1/terminations", {"msisdn": msisdn, "channel": "phone"}, token=phone)
    assert r.status == 201, r
    tid = r.json["id"]
    text = [m for m in s.sms(msisdn) if m.get("kind") == "phone_request_confirmation"][-1]["text"]
    link = re.search(r"/confirm/(cf_[0-9a-f]+)", text).group(1)
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", re.sub(r"\S*/confirm/\S*", " ", text)).group(1)
    wrong = f"{(int(code) + 1) % 1000000:06d}"
    store = s.post("/v1/terminations",
                   {"msisdn": s.demo_line("kcell", 1), "channel": "store",
                    "document": s.holder_document(s.demo_line("kcell", 1))},
                   token=s.staff_token("kcell.store"))
    assert store.status == 201, store

    reference = answer(s.post(f"/v1/terminations/{tid}/confirm", {"code": wrong}))
    assert reference[0] == 401 and reference[1]["code"] == "invalid_code", reference
    for label, path in [("unknown id", "/v1/terminations/trm_000000000000000000000000/confirm"),
                        ("no confirmation", f"/v1/terminations/{store.json['id']}/confirm")]:
        assert answer(s.post(path, {"code": code})) == reference, label
    assert s.post(f"/v1/terminations/{tid}/confirm", {"code": code}).status == 200
    assert answer(s.post(f"/v1/terminations/{tid}/confirm", {"code": code})) == reference, "used"

    unknown_link = answer(s.post("/v1/confirmations/cf_00000000000000000000000000000000"))
    assert unknown_link[0] == 404 and unknown_link[1]["code"] == "confirmation_not_found"
    assert answer(s.post(f"/v1/confirmations/{link}")) == unknown_link, "used link"
    assert answer(s.post("/v1/confirmations/cf_zz")) == unknown_link, "bad shape"

    # A token of another shape never reaches the page.
    for bad in ["cf_%3Cscript%3Ealert(1)%3C%2Fscript%3E", "cf_0123", "x" * 40]:
        for method in ("GET", "POST"):
            r = s.request(method, f"/confirm/{bad}", raw=b"")
            assert r.status == 404, (method, bad, r)
            assert 'data-code="confirmation_not_found"' in r.text
            assert "<script" not in r.text and "<form" not in r.text and "x" * 40 not in r.text
