"""The five channels end to end over real HTTP against a real osmo-hlr: who may
open a request through each, what evidence each needs, review by another
person, phone confirmations, scans, and the printable application form; then
every kind of bad evidence, each refused with its own problem code and
leaving the database exactly as it was.

Kcell demo lines used here (`simexit demo`, see test_journey.py):
  n  holder                       balances
  1  iin  TESTOVA AIGERIM [kk]    main 45.50 (below the minimum refund)
  2  passport GBR SMITH JOHN      bonus only
  3  passport CHN WANG LI         main 200.00, charges 1200.00 (debt)
  5  iin  IVANOVA OLGA            main 45.50
  6  iin  TESTOV TEST             bonus only
  7  iin  TESTOVA AIGERIM [kk]    main 200.00, charges 1200.00 (debt)
  9  passport CHN WANG LI         main 45.50
  10 iin  AKHMETOV NURLAN         bonus only
None of them is owed a refund, so no request needs a refund destination.
"""

import datetime
import os
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


# --------------------------------------------------------------------------- online


def test_online_holder_closes_own_line(simexit, hlr):
    s = simexit
    msisdn = s.demo_line("kcell", 10)
    imsi = s.imsi_of(msisdn)
    assert hlr.info(imsi) is not None
    token = s.sign_in(msisdn)
    r = s.post("/v1/terminations", {"msisdn": msisdn}, token=token)
    assert r.status == 201, r
    assert r.json["channel"] == "online"
    assert r.json["requested_by"].startswith("holder:")
    t = s.wait_state(r.json["id"], token, {"terminated"}, timeout=30)
    assert state_path(t["events"])[:3] == ["submitted", "verified", "approved"]
    assert t["documents"] == [] and t["power_of_attorney"] is None
    assert hlr_gone(hlr, imsi)


# --------------------------------------------------------------------------- store


def test_store_debt_paid_at_the_counter_and_application_form(simexit, hlr):
    s = simexit
    agent = s.staff_token("kcell.store")
    actor = staff_actor(s, "kcell.store")
    msisdn = s.demo_line("kcell", 7)  # IIN holder TESTOVA AIGERIM, debt 1000.00 after balance
    imsi = s.imsi_of(msisdn)
    assert s.lines[msisdn]["document_kind"] == "iin"
    assert hlr.info(imsi) is not None

    # The agent finds the line and sees whom it is registered to (number masked).
    line = s.get(f"/v1/lines/{msisdn}", token=agent)
    assert line.status == 200, line
    holder = line.json["holder"]
    assert holder["full_name"] == s.lines[msisdn]["holder"]
    assert holder["document_kind"] == "iin"
    number = s.lines[msisdn]["document_number"]
    assert holder["document_number"] == "*" * (len(number) - 4) + number[-4:]

    r = s.post("/v1/terminations",
               {"msisdn": msisdn, "channel": "store", "document": s.holder_document(msisdn)},
               token=agent)
    assert r.status == 201, r
    tid = r.json["id"]
    assert r.json["channel"] == "store"
    assert r.json["requested_by"] == actor

    t = s.wait_state(tid, agent, {"awaiting_payment"}, timeout=30)
    assert t["settlement"]["amount_due"] == "1000.00"
    assert hlr.info(imsi) is not None, "nothing is deprovisioned before the debt is paid"
    # The document checked at the counter is kept, its number masked.
    assert len(t["documents"]) == 1
    doc = t["documents"][0]
    assert doc["role"] == "holder" and doc["kind"] == "iin"
    assert doc["checked_by"] == actor
    assert doc["number"].endswith(s.lines[msisdn]["document_number"][-4:])
    assert s.lines[msisdn]["document_number"] not in doc["number"]

    # The printable application form, in each language.
    forms = {}
    for lang in ("ru", "kk", "en", "zh"):
        r = s.get(f"/v1/terminations/{tid}/application-form?lang={lang}", token=agent)
        assert r.status == 200, (lang, r)
        ctype = {k.lower(): v for k, v in r.headers.items()}["content-type"]
        assert ctype.startswith("text/html"), ctype
        forms[lang] = r.text
        assert f'<html lang="{lang}"' in r.text
        assert "TESTOVA AIGERIM" in r.text
        assert msisdn in r.text and tid in r.text
        assert "1000.00" in r.text  # to pay
        assert 'class="sig"' in r.text  # the signature boxes
    assert "Заявление о закрытии абонентского номера" in forms["ru"]
    assert "Подпись заявителя" in forms["ru"]
    assert "Абоненттік нөмірді жабу туралы өтініш" in forms["kk"]
    assert "Application to close a mobile line" in forms["en"]
    assert "Signature of the applicant" in forms["en"]
    assert "移动号码注销申请表" in forms["zh"]
    assert len(set(forms.values())) == 4
    # Without ?lang the holder's own language (kk).
    r = s.get(f"/v1/terminations/{tid}/application-form", token=agent)
    assert r.status == 200 and '<html lang="kk"' in r.text, r
    # Holders do not print forms; other operators do not see the request.
    holder = s.sign_in(msisdn)
    problem(s.get(f"/v1/terminations/{tid}/application-form", token=holder), 404,
            "termination_not_found")
    problem(s.get(f"/v1/terminations/{tid}/application-form",
                  token=s.staff_token("beeline.store")), 404, "termination_not_found")

    # The agent takes the payment at the counter.
    r = s.post(f"/v1/terminations/{tid}/payments", {"amount": "1000.00"}, token=agent)
    assert r.status == 200, r
    t = s.wait_state(tid, agent, {"terminated"}, timeout=30)
    assert hlr_gone(hlr, imsi)
    assert state_path(t["events"]) == ["submitted", "verified", "approved", "settling",
                                       "awaiting_payment", "settling", "deprovisioning",
                                       "terminated"]
    by_from = {e["from"]: e for e in t["events"] if "from" in e}
    assert by_from["submitted"]["actor"] == actor  # verified: the agent checked the document
    assert by_from["awaiting_payment"]["actor"] == actor  # paid at the counter
    assert [e["actor"] for e in t["events"] if e["event"] == "created"] == [actor]


def test_store_passport_holder(simexit, hlr):
    s = simexit
    agent = s.staff_token("kcell.store")
    msisdn = s.demo_line("kcell", 2)  # passport GBR SMITH JOHN, bonus only
    imsi = s.imsi_of(msisdn)
    assert s.lines[msisdn]["document_kind"] == "passport"
    document = s.holder_document(msisdn)
    assert document["expiry_date"] and document["country"] == "GBR"
    r = s.post("/v1/terminations", {"msisdn": msisdn, "channel": "store", "document": document},
               token=agent)
    assert r.status == 201, r
    t = s.wait_state(r.json["id"], agent, {"terminated"}, timeout=30)
    assert "in_review" not in state_path(t["events"])  # store requests are not reviewed
    doc = t["documents"][0]
    assert (doc["kind"], doc["country"], doc["expiry_date"]) == ("passport", "GBR", "2034-05-31")
    assert doc["mrz_checked"] is False
    assert hlr_gone(hlr, imsi)
    r = s.get(f"/v1/terminations/{t['id']}/application-form?lang=en", token=agent)
    assert r.status == 200 and "SMITH JOHN" in r.text and "2034-05-31" in r.text, r


# --------------------------------------------------------------------------- proxy


def test_proxy_with_power_of_attorney_reviewed_by_back_office(simexit, hlr):
    s = simexit
    agent = s.staff_token("kcell.store")
    office = s.staff_token("kcell.office")
    msisdn = s.demo_line("kcell", 6)  # IIN holder TESTOV TEST, bonus only
    imsi = s.imsi_of(msisdn)
    iin = s.lines[msisdn]["document_number"]
    r = s.post("/v1/terminations",
               {"msisdn": msisdn, "channel": "proxy", "attorney_document": attorney_document(),
                "power_of_attorney": power_of_attorney(iin)},
               token=agent)
    assert r.status == 201, r
    tid = r.json["id"]
    assert r.json["state"] == "in_review"
    assert r.json["review_since"]
    assert hlr.info(imsi) is not None

    t = s.get(f"/v1/terminations/{tid}", token=office).json
    (doc,) = t["documents"]
    assert doc["role"] == "attorney" and doc["mrz_checked"] is True
    assert doc["full_name"] == "TESTOVA AIGERIM" and doc["country"] == "KAZ"
    assert doc["expiry_date"] == "2033-06-15"
    assert "N12345678" not in doc["number"]
    assert t["power_of_attorney"]["scope"] == ["termination"]
    assert t["power_of_attorney"]["attorney_document_id"] == doc["id"]
    r = s.get(f"/v1/terminations/{tid}/application-form?lang=ru", token=agent)
    assert r.status == 200 and "Доверенность" in r.text and "TESTOVA AIGERIM" in r.text, r

    r = s.post(f"/v1/terminations/{tid}/approve", {}, token=office)
    assert r.status == 200, r
    assert r.json["reviewed_by"] == staff_actor(s, "kcell.office")
    s.wait_state(tid, office, {"terminated"}, timeout=30)
    assert hlr_gone(hlr, imsi)
    sms_kinds_eventually(s, msisdn, "termination_approved")


# --------------------------------------------------------------------------- phone


def confirmation_sms(s, msisdn):
    msgs = [m for m in s.sms(msisdn) if m["kind"] == "phone_request_confirmation"]
    assert msgs, s.sms(msisdn)
    text = msgs[-1]["text"]
    token = re.search(r"/confirm/(cf_[0-9a-f]+)", text)
    # The code, looked for outside the link (its hex token may hold digits).
    code = re.search(r"(?<!\d)(\d{6})(?!\d)", re.sub(r"\S*/confirm/\S*", " ", text))
    assert code and token, text
    return code.group(1), token.group(1)


def test_phone_request_confirmed_by_code_and_by_link(simexit, hlr):
    s = simexit
    phone = s.staff_token("kcell.phone")
    office = s.staff_token("kcell.office")

    # 1. Confirmed with the code.
    msisdn = s.demo_line("kcell", 5)
    imsi = s.imsi_of(msisdn)
    r = s.post("/v1/terminations", {"msisdn": msisdn, "channel": "phone"}, token=phone)
    assert r.status == 201, r
    tid = r.json["id"]
    assert r.json["state"] == "submitted"
    assert r.json["confirmation"]["sent"] is True
    assert r.json["confirmation"]["expires_at"]
    code, link_token = confirmation_sms(s, msisdn)

    wrong = f"{(int(code) + 1) % 1000000:06d}"
    problem(s.post(f"/v1/terminations/{tid}/confirm", {"code": wrong}), 401, "invalid_code")
    t = s.get(f"/v1/terminations/{tid}", token=phone).json
    assert t["state"] == "submitted" and t["confirmation"]["attempts"] == 1

    r = s.post(f"/v1/terminations/{tid}/confirm", {"code": code})
    assert r.status == 200, r
    assert r.json["state"] == "in_review"
    # Used: answered like a wrong code / an unknown link (docs/security.md).
    problem(s.post(f"/v1/terminations/{tid}/confirm", {"code": code}), 401, "invalid_code")
    problem(s.post(f"/v1/confirmations/{link_token}"), 404, "confirmation_not_found")

    r = s.post(f"/v1/terminations/{tid}/approve", {"reason": "holder confirmed"}, token=office)
    assert r.status == 200, r
    s.wait_state(tid, office, {"terminated"}, timeout=30)
    assert hlr_gone(hlr, imsi)

    # 2. Confirmed with the link: GET shows a button and changes nothing, POST confirms.
    msisdn2 = s.demo_line("kcell", 1)
    r = s.post("/v1/terminations", {"msisdn": msisdn2, "channel": "phone"}, token=phone)
    assert r.status == 201, r
    tid2 = r.json["id"]
    code2, token2 = confirmation_sms(s, msisdn2)
    s.wait_jobs_idle()
    before = s.snapshot(*REQUEST_TABLES)
    r = s.get(f"/confirm/{token2}")
    assert r.status == 200, r
    assert "<form" in r.text and 'method="post"' in r.text and "<button" in r.text
    assert f"/confirm/{token2}" in r.text
    assert s.snapshot(*REQUEST_TABLES) == before
    assert s.get(f"/v1/terminations/{tid2}", token=phone).json["state"] == "submitted"
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    r = s.request("POST", f"/confirm/{token2}", raw=b"", headers=form)
    assert r.status == 200, r
    assert 'data-code="confirmed"' in r.text
    t = s.get(f"/v1/terminations/{tid2}", token=phone).json
    assert t["state"] == "in_review"
    assert t["confirmation"]["confirmed_at"]
    r = s.request("POST", f"/confirm/{token2}", raw=b"")
    assert r.status == 404 and 'data-code="confirmation_not_found"' in r.text, r
    problem(s.post("/v1/confirmations/cf_0000000000000000"), 404, "confirmation_not_found")

    # Neither the code nor the link token rests anywhere in clear text: not in
    # the SMS outbox, not in `simexit sms list`.
    secrets = (code, link_token, code2, token2)
    rows = s.db_query("SELECT text FROM sms_messages WHERE kind = 'phone_request_confirmation'")
    assert len(rows) == 2
    for (text,) in rows:
        assert "/confirm/" in text
        for secret in secrets:
            assert secret not in text, text
    listing = s.cli("sms", "list").stdout
    assert listing.count("phone_request_confirmation") == 2, listing
    for secret in secrets:
        assert secret not in listing
    for (text,) in s.db_query("SELECT detail FROM termination_events"):
        for secret in secrets:
            assert secret not in text
    # Nor in the server's log, though the link token travels in request paths.
    log = (s.dir / "serve.log").read_text()
    assert "/confirm/***" in log and "/v1/confirmations/***" in log
    for secret in (link_token, token2):
        assert secret not in log


# --------------------------------------------------------------------------- mail


def test_mail_application_with_scans_four_eyes(simexit, hlr):
    s = simexit
    office = s.staff_token("kcell.office")
    office2 = s.staff_token("kcell.office2")
    msisdn = s.demo_line("kcell", 9)  # passport CHN WANG LI, main 45.50
    imsi = s.imsi_of(msisdn)

    r = upload(s, office, PDF)
    assert r.status == 201, r
    up = r.json
    assert up["id"].startswith("upl_")
    assert up["content_type"] == "application/pdf"
    assert up["size"] == len(PDF)
    assert up["file_name"] == "application.pdf"

    r = s.post("/v1/terminations",
               {"msisdn": msisdn, "channel": "mail", "document": s.holder_document(msisdn),
                "postmarked_on": days_from_today(-3), "upload_ids": [up["id"]]},
               token=office)
    assert r.status == 201, r
    tid = r.json["id"]
    assert r.json["state"] == "in_review"
    assert r.json["postmarked_on"] == days_from_today(-3)

    # The scan: its bytes to this operator's staff, nothing to another operator.
    for token in (office, s.staff_token("kcell.store"), s.keys["kcell"]):
        status, headers, body = raw_http(s, "GET", f"/v1/uploads/{up['id']}/content", token=token)
        assert status == 200 and body == PDF, (status, body[:100])
        assert headers["content-type"].startswith("application/pdf")
    for token in (s.staff_token("beeline.office"), s.keys["beeline"]):
        problem(s.get(f"/v1/uploads/{up['id']}/content", token=token), 404, "upload_not_found")
        problem(s.get(f"/v1/uploads/{up['id']}", token=token), 404, "upload_not_found")
    t = s.get(f"/v1/terminations/{tid}", token=office).json
    assert [u["id"] for u in t["uploads"]] == [up["id"]]

    # Four eyes: whoever registered it cannot decide it.
    s.wait_jobs_idle()
    before = s.snapshot(*REQUEST_TABLES)
    problem(s.post(f"/v1/terminations/{tid}/approve", {}, token=office), 409,
            "review_own_request")
    problem(s.post(f"/v1/terminations/{tid}/reject", {"reason_code": "other", "reason": "x"},
                   token=office), 409, "review_own_request")
    assert s.snapshot(*REQUEST_TABLES) == before

    r = s.post(f"/v1/terminations/{tid}/approve", {}, token=office2)
    assert r.status == 200, r
    assert r.json["reviewed_by"] == staff_actor(s, "kcell.office2")
    s.wait_state(tid, office2, {"terminated"}, timeout=30)
    assert hlr_gone(hlr, imsi)
    # A scan attached to one request cannot be attached to another.
    other = s.demo_line("kcell", 5)
    problem(s.post("/v1/terminations",
                   {"msisdn": other, "channel": "mail", "document": s.holder_document(other),
                    "postmarked_on": days_from_today(-1), "upload_ids": [up["id"]]},
                   token=office), 409, "upload_in_use")


# --------------------------------------------------------------------------- roles and queue


def test_roles_and_review_queue(simexit):
    s = simexit
    store, phone = s.staff_token("kcell.store"), s.staff_token("kcell.phone")
    office = s.staff_token("kcell.office")
    proxy_line, proxy_line2 = s.demo_line("kcell", 6), s.demo_line("kcell", 10)

    def open_proxy(msisdn):
        r = s.post("/v1/terminations",
                   {"msisdn": msisdn, "channel": "proxy", "attorney_document": attorney_document(),
                    "power_of_attorney": power_of_attorney(s.lines[msisdn]["document_number"])},
                   token=store)
        assert r.status == 201, r
        assert r.json["state"] == "in_review"
        return r.json["id"]

    first = open_proxy(proxy_line)
    second = open_proxy(proxy_line2)
    phone_line = s.demo_line("kcell", 5)
    r = s.post("/v1/terminations", {"msisdn": phone_line, "channel": "phone"}, token=phone)
    assert r.status == 201, r
    third = r.json["id"]
    code, _ = confirmation_sms(s, phone_line)
    assert s.post(f"/v1/terminations/{third}/confirm", {"code": code}).json["state"] == "in_review"
    s.wait_jobs_idle()

    # Wrong roles, each refused and nothing changed.
    before = s.snapshot(*REQUEST_TABLES)
    problem(s.post("/v1/terminations", {"msisdn": s.demo_line("kcell", 2), "channel": "store",
                                        "document": s.holder_document(s.demo_line("kcell", 2))},
                   token=phone), 403, "insufficient_role")
    problem(s.post("/v1/terminations", {"msisdn": s.demo_line("kcell", 1), "channel": "phone"},
                   token=store), 403, "insufficient_role")
    problem(s.post(f"/v1/terminations/{first}/approve", {}, token=store), 403, "insufficient_role")
    problem(s.post(f"/v1/terminations/{first}/approve", {}, token=phone), 403, "insufficient_role")
    problem(s.post(f"/v1/terminations/{first}/reject", {"reason_code": "suspected_fraud"},
                   token=store), 403, "insufficient_role")
    problem(s.get("/v1/reviews", token=store), 403, "insufficient_role")
    problem(upload(s, phone, PDF), 403, "insufficient_role")
    # Another operator's back office does not see the request at all.
    problem(s.post(f"/v1/terminations/{first}/approve", {}, token=s.staff_token("beeline.office")),
            404, "termination_not_found")
    assert s.snapshot(*REQUEST_TABLES) == before
    r = s.get("/v1/reviews", token=s.staff_token("beeline.office"))
    assert r.status == 200 and r.json["items"] == [], r

    # The queue is oldest first by the time a request entered review, not by
    # creation: move `second` back 49 hours (overdue against the 48 h SLA) and
    # `first` back one hour.
    s.db_query("UPDATE terminations SET review_since = review_since - 49 * 3600 WHERE id = ?",
               second)
    s.db_query("UPDATE terminations SET review_since = review_since - 3600 WHERE id = ?", first)
    r = s.get("/v1/reviews", token=office)
    assert r.status == 200, r
    items = r.json["items"]
    assert [i["id"] for i in items] == [second, first, third]
    assert all(i["operator"] == "kcell" and i["state"] == "in_review" for i in items)
    assert all(i["sla_seconds"] == 48 * 3600 for i in items)
    w = [i["waiting_seconds"] for i in items]
    assert w[0] >= 49 * 3600 and 3600 <= w[1] < 2 * 3600 and 0 <= w[2] < 3600, w
    assert [i["overdue"] for i in items] == [True, False, False]
    r = s.get("/v1/reviews?limit=1", token=office)
    assert [i["id"] for i in r.json["items"]] == [second]

    # Rejecting needs a reason code; a rejected request leaves the queue.
    problem(s.post(f"/v1/terminations/{second}/reject", {}, token=office), 400,
            "reason_code_required")
    problem(s.post(f"/v1/terminations/{second}/reject", {"reason_code": "bored"}, token=office),
            400, "invalid_reason_code")
    problem(s.post(f"/v1/terminations/{second}/reject", {"reason_code": "other"}, token=office),
            400, "reason_required")
    r = s.post(f"/v1/terminations/{second}/reject",
               {"reason_code": "power_of_attorney_invalid"}, token=office)
    assert r.status == 200 and r.json["state"] == "rejected", r
    assert r.json["reason_code"] == "power_of_attorney_invalid"
    assert [i["id"] for i in s.get("/v1/reviews", token=office).json["items"]] == [first, third]
    sms_kinds_eventually(s, proxy_line2, "termination_rejected")


# --------------------------------------------------------------------------- bad input


def test_bad_identity_documents_change_nothing(simexit_no_worker):
    s = simexit_no_worker
    store = s.staff_token("kcell.store")
    iin_line = s.demo_line("kcell", 6)  # TESTOV TEST
    passport_line = s.demo_line("kcell", 2)  # SMITH JOHN, GBR
    principal = s.lines[iin_line]["document_number"]
    before = s.snapshot(*REQUEST_TABLES)

    def proxy(attorney):
        return s.post("/v1/terminations",
                      {"msisdn": iin_line, "channel": "proxy", "attorney_document": attorney,
                       "power_of_attorney": power_of_attorney(principal)}, token=store)

    def store_request(msisdn, document):
        return s.post("/v1/terminations",
                      {"msisdn": msisdn, "channel": "store", "document": document}, token=store)

    # Each MRZ check digit on its own.
    for which in ("document_number", "birth_date", "expiry_date", "personal_number", "composite"):
        problem(proxy(attorney_document(mrz_with_bad_check_digit(which))), 400,
                "mrz_check_digit", f"attorney_document.mrz.{which}")
    # The same check on the holder's own document (field prefix "document").
    problem(store_request(passport_line,
                          {"kind": "passport", "mrz": mrz_with_bad_check_digit("composite")}),
            400, "mrz_check_digit", "document.mrz.composite")
    # A typed field disagreeing with the (valid) MRZ.
    problem(proxy({**attorney_document(), "full_name": "IVANOVA OLGA"}), 400, "mrz_mismatch",
            "attorney_document.full_name")
    # A garbled MRZ layout.
    problem(proxy(attorney_document(ATTORNEY_MRZ[0] + "\n" + ATTORNEY_MRZ[1][:-1])), 400,
            "invalid_mrz", "attorney_document.mrz")

    # Expired documents: typed, and the attorney's.
    problem(store_request(passport_line,
                          s.holder_document(passport_line, expiry_date=days_from_today(-3))),
            400, "document_expired", "document.expiry_date")
    problem(proxy({"kind": "id_card", "number": "043215678", "full_name": "TESTOVA AIGERIM",
                   "expiry_date": days_from_today(-3)}),
            400, "document_expired", "attorney_document.expiry_date")

    # Someone else's name on the holder's document, or someone else's document:
    # one answer whatever part differs (docs/security.md).
    problem(store_request(iin_line, s.holder_document(iin_line, full_name="IVANOVA OLGA")), 400,
            "document_mismatch", "document")
    problem(store_request(passport_line,
                          s.holder_document(passport_line, full_name="WANG LI")),
            400, "document_mismatch", "document")
    problem(store_request(passport_line, s.holder_document(passport_line, number="N99999999")),
            400, "document_mismatch", "document")
    other_iin = s.lines[s.demo_line("kcell", 5)]["document_number"]
    problem(store_request(iin_line, s.holder_document(iin_line, number=other_iin)), 400,
            "document_mismatch", "document")
    # No document at all.
    problem(s.post("/v1/terminations", {"msisdn": iin_line, "channel": "store"}, token=store),
            400, "document_required", "document")

    assert s.snapshot(*REQUEST_TABLES) == before
    assert s.db_query("SELECT count(*) FROM terminations") == [(0,)]


def test_bad_powers_of_attorney_change_nothing(simexit_no_worker):
    s = simexit_no_worker
    store = s.staff_token("kcell.store")
    msisdn = s.demo_line("kcell", 6)
    principal = s.lines[msisdn]["document_number"]
    other_principal = s.lines[s.demo_line("kcell", 10)]["document_number"]
    before = s.snapshot(*REQUEST_TABLES)

    def proxy(**changes):
        return s.post("/v1/terminations",
                      {"msisdn": msisdn, "channel": "proxy",
                       "attorney_document": attorney_document(),
                       "power_of_attorney": power_of_attorney(principal, **changes)},
                      token=store)

    problem(proxy(issued_on=days_from_today(-400), valid_until=days_from_today(-3)), 400,
            "power_of_attorney_expired", "power_of_attorney.valid_until")
    problem(proxy(scope=["sim_replacement", "tariff_change"]), 400,
            "power_of_attorney_out_of_scope", "power_of_attorney.scope")
    problem(proxy(principal_document=other_principal), 400,
            "power_of_attorney_wrong_principal", "power_of_attorney.principal_document")
    problem(proxy(issued_on=days_from_today(3)), 400, "power_of_attorney_not_yet_valid",
            "power_of_attorney.issued_on")
    problem(proxy(issuer=""), 400, "invalid_power_of_attorney", "power_of_attorney.issuer")
    problem(s.post("/v1/terminations",
                   {"msisdn": msisdn, "channel": "proxy", "attorney_document": attorney_document()},
                   token=store), 400, "power_of_attorney_required", "power_of_attorney")
    # The same power of attorney with an in-scope entry among others is fine
    # (shown last, after the snapshot comparison).
    assert s.snapshot(*REQUEST_TABLES) == before
    r = proxy(scope=["sim_replacement", " Termination "])
    assert r.status == 201 and r.json["state"] == "in_review", r


def test_bad_uploads_change_nothing(simexit_no_worker):
    s = simexit_no_worker
    office = s.staff_token("kcell.office")
    before = s.snapshot(*REQUEST_TABLES)
    files_before = uploaded_files(s)

    problem(upload(s, office, PNG, filename="application.pdf"), 400, "upload_type_mismatch")
    problem(upload(s, office, PNG, filename="scan.png", content_type="application/pdf"), 400,
            "upload_type_mismatch")
    problem(upload(s, office, os.urandom(4096), filename="application.pdf"), 400,
            "unsupported_upload_type")
    problem(upload(s, office, b"<html><body>hi</body></html>", filename="a.html",
                   content_type="text/html"), 400, "unsupported_upload_type")

    limit = 10 * 1024 * 1024  # [uploads] max_bytes default
    big = PDF + b"\0" * (limit + 1 - len(PDF))
    status, _, body = raw_http(s, "POST", "/v1/uploads?filename=big.pdf", big,
                               {"Content-Type": "application/pdf"}, token=office)
    assert status == 413, (status, body[:300])
    assert b'"upload_too_large"' in body, body[:300]

    assert s.snapshot(*REQUEST_TABLES) == before
    assert uploaded_files(s) == files_before

    # Exactly at the limit is accepted (the check is not off by one), and
    # stored once.
    r = upload(s, office, big[:limit], filename="big.pdf")
    assert r.status == 201 and r.json["size"] == limit, r
    assert len(s.db_query("SELECT id FROM uploads")) == 1


def test_reviewing_own_request_changes_nothing(simexit):
    s = simexit
    admin = s.staff_token("kcell.admin")  # operator_admin: may open and review
    msisdn = s.demo_line("kcell", 6)
    r = s.post("/v1/terminations",
               {"msisdn": msisdn, "channel": "proxy", "attorney_document": attorney_document(),
                "power_of_attorney": power_of_attorney(s.lines[msisdn]["document_number"])},
               token=admin)
    assert r.status == 201 and r.json["state"] == "in_review", r
    tid = r.json["id"]
    s.wait_jobs_idle()
    before = s.snapshot(*REQUEST_TABLES)
    problem(s.post(f"/v1/terminations/{tid}/approve", {}, token=admin), 409, "review_own_request")
    problem(s.post(f"/v1/terminations/{tid}/reject", {"reason_code": "suspected_fraud"},
                   token=admin), 409, "review_own_request")
    assert s.snapshot(*REQUEST_TABLES) == before
    # Another person can.
    r = s.post(f"/v1/terminations/{tid}/approve", {}, token=s.staff_token("kcell.office"))
    assert r.status == 200, r


def test_phone_confirmation_after_its_window(simexit_no_worker):
    """There is no clock to move in a running server, so the window is made to
    pass the way test_journey moves time: the stored deadline is put in the
    past (as five minutes later would find it)."""
    s = simexit_no_worker
    phone = s.staff_token("kcell.phone")
    r = s.request("PUT", "/v1/operators/kcell/policy", {"phone_confirmation_minutes": 5},
                  token=s.keys["admin"])
    assert r.status == 200, r
    msisdn = s.demo_line("kcell", 5)
    r = s.post("/v1/terminations", {"msisdn": msisdn, "channel": "phone"}, token=phone)
    assert r.status == 201, r
    tid = r.json["id"]
    (created, expires), = s.db_query(
        "SELECT created_at, expires_at FROM confirmations WHERE termination_id = ?", tid)
    assert expires - created == 5 * 60
    code, token = confirmation_sms(s, msisdn)

    s.db_query("UPDATE confirmations SET expires_at = ? WHERE termination_id = ?", created - 1, tid)
    before = s.snapshot(*REQUEST_TABLES)
    # Expired: answered like a wrong code / an unknown link (docs/security.md).
    problem(s.post(f"/v1/terminations/{tid}/confirm", {"code": code}), 401, "invalid_code")
    problem(s.post(f"/v1/confirmations/{token}"), 404, "confirmation_not_found")
    r = s.request("POST", f"/confirm/{token}", raw=b"")
    assert r.status == 404 and 'data-code="confirmation_not_found"' in r.text, r
    assert s.snapshot(*REQUEST_TABLES) == before

    # The worker's expiry job (due once the window passed) cancels the request.
    s.db_query("UPDATE jobs SET run_at = 0 WHERE kind = 'expire_confirmation'")
    assert s.worker().returncode == 0
    t = s.get(f"/v1/terminations/{tid}", token=phone).json
    assert t["state"] == "cancelled"
    assert t["reason_code"] == "confirmation_expired"
    problem(s.post(f"/v1/terminations/{tid}/confirm", {"code": code}), 401, "invalid_code")
    assert s.get(f"/v1/lines/{msisdn}", token=phone).json["status"] == "active"
