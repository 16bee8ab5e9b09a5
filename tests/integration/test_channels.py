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

from channel_helpers import (
    REQUEST_TABLES,
    PDF,
    days_from_today,
    attorney_document,
    power_of_attorney,
    state_path,
    staff_actor,
    problem,
    raw_http,
    upload,
    sms_kinds_eventually,
    hlr_gone,
    confirmation_sms,
)


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
