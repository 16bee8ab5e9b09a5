"""The printed documents and the public check (docs/certificate.md): the
certificate and the application form as PDF, read back with Debian's tools
(pdftotext, pdfdetach, pdftoppm + zbarimg, openssl), and /verify/{serial}."""

import base64
import json
import re
import subprocess
import urllib.error
import urllib.request

import pytest

from test_journey import store, tomorrow, wait_certificate

LANGUAGES = {
    # language: texts the certificate must show in it (title, a label)
    "zh": ["号码注销证明", "注销时间"],
    "en": ["Certificate of line closure", "Closed at"],
    "ru": ["Справка о закрытии абонентского номера", "Дата и время закрытия"],
    "kk": ["Абоненттік нөмірдің жабылғаны туралы анықтама", "Жабылған уақыты"],
}
FORM_TEXTS = {
    "zh": ["移动号码注销申请表", "日期和签名"],
    "en": ["Application to close a mobile line", "Date and signature"],
    "ru": ["Заявление о закрытии абонентского номера", "Дата и подпись"],
    "kk": ["Абоненттік нөмірді жабу туралы өтініш", "Күні және қолы"],
}
VERIFY_TEXTS = {
    "zh": "此证明真实",
    "en": "This certificate is genuine",
    "ru": "Справка подлинная",
    "kk": "Анықтама түпнұсқа",
}


def fetch(s, path, token=None, headers=None):
    """(status, body bytes, headers) of a GET: the PDFs are not text."""
    req = urllib.request.Request(f"http://127.0.0.1:{s.port}{path}")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    try:
        with urllib.request.urlopen(req, timeout=30) as resp:
            return resp.status, resp.read(), {k.lower(): v for k, v in resp.headers.items()}
    except urllib.error.HTTPError as err:
        return err.code, err.read(), {k.lower(): v for k, v in err.headers.items()}


def run(*args, **kw):
    return subprocess.run(args, capture_output=True, text=True, check=True, **kw)


def squeeze(text):
    """pdftotext's text without whitespace (it breaks lines as laid out)."""
    return re.sub(r"[\s\u00a0]+", "", text)


def pdf_text(path):
    return squeeze(run("pdftotext", str(path), "-").stdout)


@pytest.fixture
def closed(simexit):
    """A kcell line closed online; its holder's token, termination id and serial."""
    s = simexit
    msisdn = s.demo_line("kcell", 0)
    token = s.sign_in(msisdn)
    r = s.post("/v1/terminations", {"msisdn": msisdn,
                                    "refund": {"method": "iban",
                                               "destination": "KZ86125KZT5004100100"}},
               token=token)
    assert r.status == 201, r
    tid = r.json["id"]
    s.wait_state(tid, token, {"terminated"}, timeout=30)
    serial = wait_certificate(s, tid, token)["certificate"]["serial"]
    return {"msisdn": msisdn, "token": token, "tid": tid, "serial": serial}


def test_certificate_pdf_in_four_languages_verifies_offline(simexit, closed, tmp_path):
    s = simexit
    key = s.get("/v1/certificates/public-key").json["public_key_hex"]
    document = s.get(f"/v1/terminations/{closed['tid']}/certificate", token=closed["token"]).text
    verify_url = f"http://127.0.0.1:{s.port}/verify/{closed['serial']}"
    for lang, texts in LANGUAGES.items():
        status, body, headers = fetch(
            s, f"/v1/terminations/{closed['tid']}/certificate.pdf?lang={lang}", closed["token"])
        assert status == 200, body[:300]
        assert headers["content-type"] == "application/pdf"
        assert f'filename="{closed["serial"]}.pdf"' in headers["content-disposition"]
        pdf = tmp_path / f"cert-{lang}.pdf"
        pdf.write_bytes(body)
        text = pdf_text(pdf)
        # The language and English beside it; the facts once each.
        for expected in texts + LANGUAGES["en"] + [
                closed["serial"], "2500,00₸", "(Asia/Almaty)", verify_url]:
            assert squeeze(expected) in text, (lang, expected, text)
        digits = closed["msisdn"][2:]
        assert squeeze(f"+7 {digits[:3]} {digits[3:6]} {digits[6:8]} {digits[8:]}") in text
        iccid = s.db_query("SELECT iccid FROM lines WHERE msisdn = ?", closed["msisdn"])[0][0]
        assert iccid not in text and ("*" * (len(iccid) - 4) + iccid[-4:]) in text

        # The QR code leads to the verify page.
        run("pdftoppm", "-r", "150", "-png", "-singlefile", str(pdf), str(tmp_path / lang))
        qr = run("zbarimg", "-q", "--raw", str(tmp_path / f"{lang}.png")).stdout.strip()
        assert qr == verify_url

        # The signed JSON rides along unchanged and verifies offline.
        extracted = tmp_path / f"cert-{lang}.json"
        run("pdfdetach", "-savefile", "certificate.json", "-o", str(extracted), str(pdf))
        assert extracted.read_text() == document
        ok = s.cli("certificate", "verify", str(extracted), "--public-key", key, check=False)
        assert ok.returncode == 0, ok.stderr

    # ... and with openssl alone (docs/certificate.md, "With OpenSSL").
    signed = json.dumps(json.loads(document)["certificate"], sort_keys=True,
                        separators=(",", ":"), ensure_ascii=False).encode()
    (tmp_path / "signed.bin").write_bytes(signed)
    (tmp_path / "sig.bin").write_bytes(
        base64.b64decode(json.loads(document)["signature"]["value"]))
    der = bytes.fromhex("302a300506032b6570032100" + key)
    (tmp_path / "pub.der").write_bytes(der)
    run("openssl", "pkey", "-pubin", "-inform", "DER", "-in", str(tmp_path / "pub.der"),
        "-out", str(tmp_path / "pub.pem"))
    out = run("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(tmp_path / "pub.pem"),
              "-rawin", "-in", str(tmp_path / "signed.bin"), "-sigfile", str(tmp_path / "sig.bin"))
    assert "Signature Verified Successfully" in out.stdout
    (tmp_path / "signed.bin").write_bytes(signed.replace(b"kcell", b"kcelk"))
    bad = subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey",
                          str(tmp_path / "pub.pem"), "-rawin", "-in", str(tmp_path / "signed.bin"),
                          "-sigfile", str(tmp_path / "sig.bin")], capture_output=True, text=True)
    assert bad.returncode != 0


def test_final_sms_names_the_verify_url(simexit, closed):
    texts = [m["text"] for m in simexit.sms(closed["msisdn"])]
    url = f"http://127.0.0.1:{simexit.port}/verify/{closed['serial']}"
    assert any(url in t for t in texts), texts


def test_holder_page_and_console_link_the_pdfs(simexit, closed):
    s = simexit
    # The holder's page links the PDF; the link answers a PDF with the holder's cookie.
    token = closed["token"]
    status, body, _ = fetch(s, f"/my/terminations/{closed['tid']}",
                            headers={"Cookie": f"simexit_session={token}"})
    assert status == 200
    assert f"/my/terminations/{closed['tid']}/certificate.pdf".encode() in body
    status, body, headers = fetch(s, f"/my/terminations/{closed['tid']}/certificate.pdf",
                                  headers={"Cookie": f"simexit_session={token}"})
    assert status == 200 and body.startswith(b"%PDF-"), body[:200]
    # The console's request page links both documents.
    staff = s.staff_token("kcell.store")
    status, body, _ = fetch(s, f"/console/terminations/{closed['tid']}",
                            headers={"Cookie": f"simexit_staff={staff}"})
    assert status == 200, body[:300]
    assert b"/application-form.pdf" in body and b"/certificate.pdf" in body


def test_application_form_pdf_in_four_languages_beside_russian(simexit, tmp_path):
    s = simexit
    msisdn = s.demo_line("kcell", 2)  # bonus only: nothing to refund
    staff = s.staff_token("kcell.store")
    r = s.post("/v1/terminations", store(s, msisdn), token=staff)
    assert r.status == 201, r
    tid = r.json["id"]
    for lang, texts in FORM_TEXTS.items():
        status, body, headers = fetch(
            s, f"/v1/terminations/{tid}/application-form.pdf?lang={lang}", staff)
        assert status == 200, body[:300]
        assert headers["content-type"] == "application/pdf"
        pdf = tmp_path / f"form-{lang}.pdf"
        pdf.write_bytes(body)
        text = pdf_text(pdf)
        for expected in texts + FORM_TEXTS["ru"] + [tid, s.lines[msisdn]["holder"]]:
            assert squeeze(expected) in text, (lang, expected, text)


def test_certificate_pdf_before_termination_is_409(simexit):
    s = simexit
    msisdn = s.demo_line("kcell", 6)  # bonus only: nothing to refund
    staff = s.staff_token("kcell.store")
    r = s.post("/v1/terminations", store(s, msisdn, scheduled_for=tomorrow()), token=staff)
    assert r.status == 201, r
    status, body, headers = fetch(s, f"/v1/terminations/{r.json['id']}/certificate.pdf", staff)
    assert status == 409
    assert headers["content-type"].startswith("application/problem+json")
    assert json.loads(body)["code"] == "certificate_not_ready"


def test_another_operators_termination_is_404(simexit, closed):
    s = simexit
    beeline = s.staff_token("beeline.store")
    for path in ("certificate.pdf", "application-form.pdf"):
        status, body, _ = fetch(s, f"/v1/terminations/{closed['tid']}/{path}", beeline)
        fake_status, fake_body, _ = fetch(
            s, f"/v1/terminations/trm_{'0' * 24}/{path}", beeline)
        assert status == 404 and json.loads(body)["code"] == "termination_not_found"
        assert (fake_status, json.loads(fake_body)["code"]) == (404, "termination_not_found")


def test_verify_page_known_unknown_malformed(simexit, closed):
    s = simexit
    serial = closed["serial"]
    digits = closed["msisdn"][2:]
    masked = f"+7 {digits[:3]} *** ** {digits[8:]}"
    for lang, expected in VERIFY_TEXTS.items():
        status, body, headers = fetch(s, f"/verify/{serial}?lang={lang}")
        page = body.decode()
        assert status == 200, page
        assert headers["content-type"].startswith("text/html")
        assert 'data-code="valid"' in page and expected in page
        assert masked in page and serial in page and "Kcell" in page
        # Nothing else about the holder or the line.
        assert closed["msisdn"] not in page and digits[3:8] not in page
        iccid = s.db_query("SELECT iccid FROM lines WHERE msisdn = ?", closed["msisdn"])[0][0]
        assert iccid[-8:] not in page
        holder = s.lines[closed["msisdn"]]["holder"]
        assert holder not in page
    # Unknown (plausible) and malformed serials: the same page.
    unknown = "SX-" + "0" * 25 + "4"
    answers = []
    for bad in (unknown, "SX-2026-000001", "not-a-serial", "%27%3Cscript%3E", "x" * 200):
        status, body, _ = fetch(s, f"/verify/{bad}?lang=en")
        answers.append((status, body))
        assert status == 404
        assert b'data-code="not_found"' in body and bad.encode() not in body
    assert len({body for _, body in answers}) == 1, "not-found pages differ"


def test_verify_page_is_rate_limited_per_address(simexit, closed):
    s = simexit
    statuses = []
    for _ in range(30):
        status, _, _ = fetch(s, f"/verify/{closed['serial']}")
        statuses.append(status)
    assert statuses == [200] * 30
    status, body, headers = fetch(s, f"/verify/{closed['serial']}")
    assert status == 429
    assert b'data-code="too_many_checks"' in body
    assert int(headers["retry-after"]) >= 1
    # Unknown serials count too: the limit is on checks, not on finds.
    status, _, _ = fetch(s, "/verify/SX-" + "0" * 26)
    assert status == 429
