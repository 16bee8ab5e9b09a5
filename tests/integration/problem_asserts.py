"""Assertions on RFC 9457 problems, and demo lines to try them on, shared by the
bad-input test files."""


def header(r, name):
    for k, v in r.headers.items():
        if k.lower() == name.lower():
            return v
    return None


def assert_problem(r, status, code):
    """Asserts `r` is the problem `code` with HTTP `status`; returns its body."""
    assert r.status == status, r
    content_type = (header(r, "Content-Type") or "").split(";")[0].strip()
    assert content_type == "application/problem+json", (r.headers, r)
    body = r.json
    assert isinstance(body, dict), r
    assert body.get("code") == code, r
    assert body.get("status") == status, r
    assert isinstance(body.get("detail"), str) and body["detail"].strip(), r
    assert isinstance(body.get("request_id"), str) and body["request_id"], r
    assert body["request_id"] == header(r, "X-Request-Id"), (r.headers, r)
    return body


def refused(s, status, code, send):
    """Sends a request with `send()`, asserts it is refused with `code` and
    that no table changed and no SMS went out. Returns the problem body."""
    before = s.snapshot()
    sms_before = len(s.sms())
    body = assert_problem(send(), status, code)
    assert s.snapshot() == before, f"{code}: the database changed"
    assert len(s.sms()) == sms_before, f"{code}: an SMS was sent"
    return body


def line_with(s, operator, kind):
    """A demo line of `operator` in money situation `kind` (refund, small,
    bonus, debt: demo order n % 4)."""
    n = {"refund": 0, "small": 1, "bonus": 2, "debt": 3}[kind]
    msisdn = s.demo_line(operator, n)
    line = s.lines[msisdn]
    if kind == "debt":
        assert line["charges"] != "0.00", line
    if kind == "refund":
        assert line["main"] == "2500.00", line
    return msisdn


def store(s, msisdn, **extra):
    """A store request for `msisdn` with the holder's own document, so a test
    about something else is not refused for missing evidence (a store request
    without a document is refused with document_required before the line is
    even looked up)."""
    return {"msisdn": msisdn, "channel": "store", "document": s.holder_document(msisdn), **extra}
