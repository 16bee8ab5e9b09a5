"""The tamper-evident audit chain (docs/audit.md) on a live database.

A real journey writes audit records and termination events; `simexit audit
verify` finds every chain intact; `simexit audit export` writes a file an
outsider checks with openssl and a few lines of Python (the procedure in
docs/audit.md); rows edited behind simexit's back are named.
"""

import base64
import datetime
import hashlib
import json
import subprocess

IBAN = "KZ86125KZT5004100100"
# An Ed25519 SubjectPublicKeyInfo is these 12 bytes and then the 32 key bytes.
ED25519_SPKI_PREFIX = bytes.fromhex("302a300506032b6570032100")


def close_a_line(s, n):
    msisdn = s.demo_line("kcell", n)
    token = s.sign_in(msisdn)
    body = {"msisdn": msisdn, "refund": {"method": "iban", "destination": IBAN}}
    r = s.post("/v1/terminations", body, token=token)
    assert r.status == 201, r
    s.wait_state(r.json["id"], token, {"terminated"}, timeout=30)
    return r.json["id"]


def check_links_as_an_outsider(export):
    """docs/audit.md's Python: every link hashes its record and the link before."""
    lines = export.read_text(encoding="utf-8").splitlines()
    prev = None
    for text in lines[1:]:
        link = json.loads(text)
        canonical = json.dumps(link["record"], sort_keys=True, separators=(",", ":"),
                               ensure_ascii=False)
        digest = hashlib.sha256((link["prev_hash"] + "\n" + canonical).encode()).hexdigest()
        assert digest == link["hash"], link
        assert prev is None or link["prev_hash"] == prev, "links follow each other"
        prev = link["hash"]
    return len(lines) - 1


def check_signature_as_an_outsider(export, signature, tmp_path):
    """docs/audit.md's openssl check, with the key from the export's header."""
    header = json.loads(export.read_text(encoding="utf-8").splitlines()[0])
    key = tmp_path / "audit-key.pem"
    der = ED25519_SPKI_PREFIX + base64.b64decode(header["public_key"])
    key.write_text("-----BEGIN PUBLIC KEY-----\n" + base64.b64encode(der).decode()
                   + "\n-----END PUBLIC KEY-----\n")
    return subprocess.run(
        ["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(key), "-rawin",
         "-in", str(export), "-sigfile", str(signature)],
        capture_output=True, text=True)


def test_a_journey_is_chained_exported_and_tampering_is_named(simexit, tmp_path):
    s = simexit
    tid = close_a_line(s, 0)
    kcell = s.db_query("SELECT id FROM operators WHERE code = 'kcell'")[0][0]

    ok = s.cli("audit", "verify")
    assert ok.stdout.startswith("ok: "), ok.stdout
    # Every event of the termination is a link of kcell's chain, and so is the
    # holder's sign-in (its number is kcell's).
    events = s.db_query("SELECT id FROM termination_events WHERE termination_id = ?", tid)
    assert len(events) >= 3
    chained = s.db_query(
        "SELECT c.record_id FROM audit_chain c JOIN termination_events e "
        "ON c.kind = 'event' AND c.record_id = e.id WHERE e.termination_id = ? "
        "AND c.operator_id = ?", tid, kcell)
    assert sorted(chained) == sorted(events)
    assert s.db_query("SELECT COUNT(*) FROM audit_log a JOIN audit_chain c ON c.kind = 'audit' "
                      "AND c.record_id = a.id WHERE a.action = 'otp_verified' "
                      "AND c.operator_id = ?", kcell)[0][0] >= 1

    today = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    export = tmp_path / "kcell-audit.jsonl"
    out = s.cli("audit", "export", "--operator", "kcell", "--from", today, "--to", today,
                "--out", str(export))
    assert "wrote" in out.stdout
    signature = tmp_path / "kcell-audit.jsonl.sig"
    assert len(signature.read_bytes()) == 64
    links = check_links_as_an_outsider(export)
    verified = check_signature_as_an_outsider(export, signature, tmp_path)
    assert "Signature Verified Successfully" in verified.stdout, verified
    body = export.read_text(encoding="utf-8")
    assert tid in body
    assert json.loads(body.splitlines()[0])["links"] == links >= len(events)
    # One changed byte and the signature no longer holds.
    export.write_text(body.replace(tid, tid[:-1] + ("0" if tid[-1] != "0" else "1")),
                      encoding="utf-8")
    assert "Signature Verified Successfully" not in check_signature_as_an_outsider(
        export, signature, tmp_path).stdout

    reversed_range = s.cli("audit", "export", "--operator", "kcell", "--from", "2026-02-02",
                           "--to", "2026-02-01", "--out", str(export), check=False)
    assert reversed_range.returncode == 2
    assert "starts (2026-02-02) after it ends (2026-02-01)" in reversed_range.stderr
    unknown = s.cli("audit", "verify", "--operator", "nosuch", check=False)
    assert unknown.returncode == 1 and "operator_not_found" in unknown.stderr

    # Edited behind simexit's back: an event rewritten, a sign-in record deleted.
    first_event = min(events)[0]
    s.db_query("UPDATE termination_events SET detail = 'nothing happened' WHERE id = ?",
               first_event)
    bad = s.cli("audit", "verify", check=False)
    assert bad.returncode == 1, bad
    assert any(l.startswith("record_changed kcell link ") and f"(event:{first_event})" in l
               for l in bad.stdout.splitlines()), bad.stdout
    assert "the audit chain is broken" in bad.stderr
    refused = s.cli("audit", "export", "--operator", "kcell", "--from", today, "--to", today,
                    "--out", str(export), check=False)
    assert refused.returncode == 1 and "audit_chain_broken" in refused.stderr
