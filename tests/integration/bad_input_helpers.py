"""Valid and invalid values (check digits, IBANs, cards, dates) and a scan
upload, shared by the bad-input test files (test_bad_input.py,
test_bad_import.py, test_bad_request_rules.py)."""

import time


def luhn_digit(payload):
    total = 0
    for i, ch in enumerate(reversed(payload)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def iban_with_check(country, bban):
    rearranged = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in rearranged))
    return f"{country}{98 - number % 97:02d}{bban}"


VALID_IBAN = iban_with_check("KZ", "125KZT5004100100")
BAD_IBAN = VALID_IBAN[:2] + f"{(int(VALID_IBAN[2:4]) + 1) % 100:02d}" + VALID_IBAN[4:]
VALID_CARD = "4111111111111111"
BAD_CARD = "4111111111111112"


def future(days):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(time.time() + days * 86400))


PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def upload_scan(s, token):
    """Uploads a small PDF (the scan of a posted application); returns its id."""
    r = s.request("POST", "/v1/uploads?filename=application.pdf", token=token, raw=PDF,
                  headers={"Content-Type": "application/pdf"})
    assert r.status == 201, r
    return r.json["id"]


def days_ago(n):
    return time.strftime("%Y-%m-%d", time.gmtime(time.time() - n * 86400))
