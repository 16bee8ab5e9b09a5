"""Helpers and demo data shared by the channel tests (test_channels.py, the five
channels end to end, and test_channel_refusals.py, bad evidence refused): the
tables a request writes to, a valid attorney's MRZ, check digits, powers of
attorney, raw HTTP for binary bodies, uploads and SMS waits."""

import datetime
import re
import socket
import time

# Tables a termination request writes to. Sessions, staff and the audit trail
# are left out: signing in and refused attempts are recorded there by design.
REQUEST_TABLES = (
    "terminations",
    "termination_events",
    "document_checks",
    "powers_of_attorney",
    "uploads",
    "confirmations",
    "jobs",
    "sms_messages",
    "lines",
    "postings",
    "ledger_entries",
    "idempotency_keys",
)

# The synthetic Kazakh TD3 passport of /work/shared/domain/facts-kz.md §4.3:
# TESTOVA AIGERIM, N12345678, born 1985-06-15, expires 2033-06-15, IIN
# 850615400016 as the personal number. Every check digit holds.
ATTORNEY_MRZ = (
    "P<KAZTESTOVA<<AIGERIM<<<<<<<<<<<<<<<<<<<<<<<",
    "N123456785KAZ8506151F3306150850615400016<<84",
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 17


def today():
    # Documents expire by the holder's local date (Asia/Almaty, UTC+5); dates
    # three days away from UTC's today are on the intended side either way.
    return datetime.datetime.now(datetime.timezone.utc).date()


def days_from_today(n):
    return (today() + datetime.timedelta(days=n)).isoformat()


def check_digit(text):
    """ICAO 9303 check digit (weights 7, 3, 1; '<' is 0, A=10 ... Z=35)."""
    total = 0
    for i, c in enumerate(text):
        value = int(c) if c.isdigit() else (ord(c) - 55 if c.isalpha() else 0)
        total += value * (7, 3, 1)[i % 3]
    return str(total % 10)


# TD3 line 2: each check digit's position and the field it checks.
TD3_CHECKS = {
    "document_number": (9, slice(0, 9)),
    "birth_date": (19, slice(13, 19)),
    "expiry_date": (27, slice(21, 27)),
    "personal_number": (42, slice(28, 42)),
}


def td3_composite(line2):
    return check_digit(line2[0:10] + line2[13:20] + line2[21:43])


def mrz_with_bad_check_digit(which):
    """The attorney's MRZ with exactly one check digit wrong: `which` is one of
    TD3_CHECKS or "composite" (the composite is recomputed after changing
    another digit, so only the named check fails)."""
    line2 = ATTORNEY_MRZ[1]
    if which == "composite":
        pos = 43
    else:
        pos, field = TD3_CHECKS[which]
        assert check_digit(line2[field]) == line2[pos]
    chars = list(line2)
    chars[pos] = str((int(line2[pos]) + 1) % 10)
    if which != "composite":
        chars[43] = td3_composite("".join(chars))
    bad = "".join(chars)
    failing = [name for name, (p, f) in TD3_CHECKS.items() if check_digit(bad[f]) != bad[p]]
    failing += ["composite"] if td3_composite(bad) != bad[43] else []
    assert failing == [which], failing
    return ATTORNEY_MRZ[0] + "\n" + bad


def attorney_document(mrz=None):
    return {"kind": "passport", "mrz": mrz or "\n".join(ATTORNEY_MRZ)}


def power_of_attorney(principal, **changes):
    poa = {
        "number": "KZ-NOT-2025-001234",
        "issued_on": days_from_today(-30),
        "valid_until": days_from_today(335),
        "issuer": "Notary A. Seitkali, Almaty",
        "principal_document": principal,
        "scope": ["termination"],
    }
    poa.update(changes)
    return poa


def state_path(events):
    transitions = [e for e in events if "to" in e]
    return [transitions[0]["from"]] + [e["to"] for e in transitions]


def staff_actor(s, username):
    r = s.get("/v1/staff/me", token=s.staff_token(username))
    assert r.status == 200, r
    return f"staff:{r.json['id']}"


def problem(r, status, code, field=None):
    """Asserts `r` is the problem `code` (and names `field` when given)."""
    assert r.status == status, r
    assert r.json is not None and r.json["code"] == code, r
    if field is not None:
        assert r.json.get("field") == field, r


def raw_http(s, method, path, body=b"", headers=None, token=None):
    """One request over a plain socket; returns (status, headers, body bytes).
    Unlike urllib it keeps binary bodies as bytes, and it still reads the
    answer when the server answers before reading (all of) a large body and
    closes the connection."""
    head = [f"{method} {path} HTTP/1.1", f"Host: 127.0.0.1:{s.port}", "Connection: close",
            f"Content-Length: {len(body)}"]
    if token:
        head.append(f"Authorization: Bearer {token}")
    head += [f"{k}: {v}" for k, v in (headers or {}).items()]
    with socket.create_connection(("127.0.0.1", s.port), timeout=30) as sock:
        sock.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        try:
            sock.sendall(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # answered early and closed; the answer is in the receive buffer
        data = b""
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            data += chunk
    header_text, _, payload = data.partition(b"\r\n\r\n")
    lines = header_text.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    hdrs = {}
    for line in lines[1:]:
        k, _, v = line.partition(":")
        hdrs[k.strip().lower()] = v.strip()
    if hdrs.get("transfer-encoding", "").lower() == "chunked":
        out, rest = b"", payload
        while rest:
            size_text, _, rest = rest.partition(b"\r\n")
            size = int(size_text.split(b";")[0], 16)
            if size == 0:
                break
            out, rest = out + rest[:size], rest[size + 2:]
        payload = out
    return status, hdrs, payload


def upload(s, token, content, filename="application.pdf", content_type="application/pdf"):
    return s.request("POST", f"/v1/uploads?filename={filename}", token=token, raw=content,
                     headers={"Content-Type": content_type})


def uploaded_files(s):
    """Every file under the upload store (the default [uploads] dir, relative to
    the installation's working directory)."""
    root = s.dir / "uploads"
    if not root.exists():
        return []
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def sms_kinds_eventually(s, msisdn, kind, timeout=20):
    """The kinds of SMS the line got, once one of `kind` is among them (notices
    are sent by the worker, after the request that caused them returned)."""
    deadline = time.time() + timeout
    while True:
        kinds = [m["kind"] for m in s.sms(msisdn)]
        if kind in kinds:
            return kinds
        assert time.time() < deadline, f"no {kind} SMS to {msisdn}: {kinds}"
        time.sleep(0.1)


def hlr_gone(hlr, imsi):
    return hlr.info(imsi) is None


def confirmation_sms(s, msisdn):
    msgs = [m for m in s.sms(msisdn) if m["kind"] == "phone_request_confirmation"]
    assert msgs, s.sms(msisdn)
    text = msgs[-1]["text"]
    token = re.search(r"/confirm/(cf_[0-9a-f]+)", text)
    # The code, looked for outside the link (its hex token may hold digits).
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", re.sub(r"\S*/confirm/\S*", " ", text))
    assert code and token, text
    return code.group(1), token.group(1)
