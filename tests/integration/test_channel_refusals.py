"""Bad evidence through the channels, over real HTTP against a real osmo-hlr:
every kind of bad identity document, power of attorney and upload, a reviewer
deciding their own request, and a phone confirmation after its window; each
is refused with its own problem code and leaves the database exactly as it was
(the demo lines are listed in test_channels.py)."""

import os

from channel_helpers import (
    REQUEST_TABLES,
    ATTORNEY_MRZ,
    PDF,
    PNG,
    days_from_today,
    mrz_with_bad_check_digit,
    attorney_document,
    power_of_attorney,
    problem,
    raw_http,
    upload,
    uploaded_files,
    confirmation_sms,
)


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
