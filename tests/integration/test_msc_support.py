"""The osmo-msc test support works end to end, without simexit's C++:

HLR provisioning over CTRL -> SGs attach through the test peer -> SMS submitted
over SMPP (tests/support/smpp_test_client.py) -> delivered to the peer's
"phone", decoded -> the MSC's DB row marked sent; GSM 7-bit escapes and UCS-2
Kazakh text; concatenated parts; and the deregistration path (HLR delete + MSC
subscriber-expire -> the next attach is rejected).

If these fail, tests of simexit's SMPP or MSC adapters cannot be trusted.
Run: tests/integration/run.sh -k msc_support
"""

import itertools
import re
import time

import pytest

import msc_sms_db
import osmo_ctrl
import smpp_test_client

_numbers = itertools.count(1)


def new_subscriber(msc):
    """Provisions a fresh subscriber in the HLR; returns (imsi, msisdn). The
    range (MSIN 0900000xxxx) is apart from `simexit demo`'s IMSIs, which share
    the session's osmo-hlr."""
    n = next(_numbers)
    imsi, msisdn = f"00101090000{n:04d}", f"7701555{n:04d}"
    assert msc.hlr.create(imsi, msisdn) >= 1
    assert msc.hlr.info(imsi)["msisdn"] == msisdn
    return imsi, msisdn


def attached_subscriber(msc):
    imsi, msisdn = new_subscriber(msc)
    peer = msc.sgs_peer()
    assert peer.attach(imsi) is True, f"reject cause {peer.last_reject_cause}"
    assert msc.ctrl.active_subscribers().get(imsi) == msisdn
    return imsi, msisdn, peer


def wait_sent(msc, msisdn, count, timeout=5.0):
    """The DB rows to msisdn once `count` of them are marked sent."""
    deadline = time.monotonic() + timeout
    while True:
        rows = msc.sms_rows(msisdn)
        if sum(r["sent"] is not None for r in rows) >= count or time.monotonic() > deadline:
            return rows
        time.sleep(0.05)


# ---------------------------------------------------------------- end to end
def test_gsm7_sms_with_escapes_is_delivered_decoded_and_marked_sent(msc):
    imsi, msisdn, peer = attached_subscriber(msc)
    text = "Code 123456 costs 5€ [simexit] {ok}"
    smpp = msc.smpp()

    status, message_id = smpp.submit_text(msisdn, text, registered_delivery=1,
                                          user_message_reference=0x42)
    assert (status, message_id) == (0, "msg_id_not_implemented")
    rows = msc.sms_rows(msisdn)
    assert len(rows) == 1 and rows[0]["sent"] is None  # stored before the response

    got = peer.receive_sms(imsi, timeout=10)
    assert [s["text"] for s in got] == [text]
    sms = got[0]
    assert sms["dcs"] == 0 and sms["originator"] == "SIMEXIT" and sms["concat"] is None
    assert sms["srr"] is True
    # € and [ travel as escape sequences (ESC 0x65, ESC 0x3c), one septet each.
    assert sms["septets"][sms["septets"].index(0x1B):][:2] == [0x1B, 0x65]
    assert [0x1B, 0x3C] == sms["septets"][text.index("[") + 1:text.index("[") + 3]
    assert sms["udl"] == len(text) + 5  # € [ ] { } take two septets each

    rows = wait_sent(msc, msisdn, 1)
    assert len(rows) == 1
    assert rows[0]["sent"] is not None and rows[0]["text"] == text and rows[0]["dcs"] == 0

    receipt = smpp.wait_receipt(timeout=5)
    assert receipt is not None, "no delivery receipt"
    assert receipt["source_addr"] == msisdn
    assert "stat:DELIVRD" in receipt["short_message"].decode()
    assert receipt["tlvs"][smpp_test_client.TLV_USER_MESSAGE_REFERENCE] == b"\x00\x42"


def test_ucs2_kazakh_sms_is_delivered_and_decoded(msc):
    imsi, msisdn, peer = attached_subscriber(msc)
    text = "Сіздің нөміріңіз жабылды. Рақмет! Қош болыңыз, ұялы байланыс үшін"
    status, _ = msc.smpp().submit_text(msisdn, text, ucs2=True)
    assert status == 0

    got = peer.receive_sms(imsi, timeout=10)
    assert [(s["dcs"], s["text"]) for s in got] == [(8, text)]
    assert got[0]["udl"] == 2 * len(text)
    rows = wait_sent(msc, msisdn, 1)
    assert [(r["dcs"], r["text"], r["sent"] is not None) for r in rows] == [(8, text, True)]


def test_concatenated_parts_carry_udh_and_reassemble(msc):
    imsi, msisdn, peer = attached_subscriber(msc)
    smpp = msc.smpp()
    parts = [("Your line +77015550000 ", False, 7, 1), ("is closed [ok]", False, 7, 2),
             ("Нөмір ", True, 200, 1), ("жабылды", True, 200, 2)]
    for text, ucs2, ref, seq in parts:
        status, _ = smpp.submit_text(msisdn, text, ucs2=ucs2,
                                     udh=smpp_test_client.concat_udh(ref, 2, seq))
        assert status == 0

    got = peer.receive_sms(imsi, timeout=10, count=4)
    assert sorted((s["text"], s["concat"]["ref"], s["concat"]["seq"]) for s in got) == sorted(
        (text, ref, seq) for text, _, ref, seq in parts)
    assert all(s["udhi"] and s["concat"]["total"] == 2 for s in got)
    assert sorted(m["text"] for m in msc_sms_db.reassemble(got)) == [
        "Your line +77015550000 is closed [ok]", "Нөмір жабылды"]

    rows = wait_sent(msc, msisdn, 4)
    assert all(r["sent"] is not None and r["ud_hdr_ind"] == 1 for r in rows)
    assert sorted(m["text"] for m in msc_sms_db.reassemble(rows)) == [
        "Your line +77015550000 is closed [ok]", "Нөмір жабылды"]


def test_attach_is_rejected_after_hlr_delete_and_msc_expire(msc):
    imsi, msisdn, peer = attached_subscriber(msc)

    msc.hlr.delete(imsi)
    assert msc.hlr.info(imsi) is None
    # The HLR tells the MSC nothing: the subscriber stays attached.
    assert msc.ctrl.active_subscribers().get(imsi) == msisdn

    assert msc.ctrl.expire(imsi) == ""
    assert imsi not in msc.ctrl.active_subscribers()
    with pytest.raises(osmo_ctrl.CtrlError) as err:
        msc.ctrl.expire(imsi)
    assert err.value.reason == "IMSI unknown"

    assert peer.attach(imsi) is False
    assert peer.last_reject_cause == 0x03
    assert imsi not in msc.ctrl.active_subscribers()


def test_unknown_or_cs_disabled_subscriber_cannot_attach(msc):
    peer = msc.sgs_peer()
    assert peer.attach("001010999999999") is False
    assert peer.last_reject_cause == 0x03

    imsi, _ = new_subscriber(msc)
    msc.hlr.set(f"subscriber.by-imsi-{imsi}.cs-enabled", "0")
    assert peer.attach(imsi) is False
    msc.hlr.set(f"subscriber.by-imsi-{imsi}.cs-enabled", "1")
    assert peer.attach(imsi) is True


def test_detach_removes_the_subscriber_from_the_vlr_list(msc):
    imsi, _, peer = attached_subscriber(msc)
    assert peer.detach(imsi) is True
    assert imsi not in msc.ctrl.active_subscribers()


def test_smpp_bind_checks_the_esme_credentials(msc):
    assert msc.smpp(bind=False).bind_transceiver(msc.system_id, "wrong") == 0x0000000E
    assert msc.smpp(bind=False).bind_transceiver("nobody", msc.password) == 0x0000000F
    assert msc.smpp(bind=False).bind_transceiver(msc.system_id, msc.password) == 0


def test_msc_log_shows_the_sgs_and_gsup_links(msc):
    log = msc.log.read_text(errors="replace")
    assert re.search(r"127\.0\.0\.1:4222 connection done", log), log[-2000:]
    assert "Starting SGs server failed" not in log


# ---------------------------------------------------------------- codecs only
def test_gsm7_codec_round_trips_and_handles_escapes():
    text = "@£$¥ Hello {}[]~\\|^€ äöñüà\n"
    septets = msc_sms_db.gsm7_encode(text)
    assert septets[:2] == [0x00, 0x01]
    assert msc_sms_db.gsm7_decode(septets) == text
    packed = msc_sms_db.pack_septets(septets)
    assert len(packed) == (7 * len(septets) + 7) // 8
    assert msc_sms_db.unpack_septets(packed, len(septets)) == septets
    # TS 23.038 example: "hellohello" packs to e8329bfd4697d9ec37
    assert msc_sms_db.pack_septets(msc_sms_db.gsm7_encode("hellohello")).hex() == \
        "e8329bfd4697d9ec37"
    with pytest.raises(msc_sms_db.DecodeError):
        msc_sms_db.gsm7_encode("Қ")


def test_user_data_with_udh_uses_fill_bits_and_concat_ie():
    udh = smpp_test_client.concat_udh(0x42, 3, 2)
    body = msc_sms_db.pack_septets(msc_sms_db.gsm7_encode("abc"), fill_bits=1)
    decoded = msc_sms_db.decode_user_data(0, True, udh + body, 7 + 3)
    assert decoded["text"] == "abc"
    assert decoded["concat"] == {"ref": 0x42, "total": 3, "seq": 2}

    sixteen = bytes([6, 0x08, 4, 0x12, 0x34, 2, 1])
    decoded = msc_sms_db.decode_user_data(8, True, sixteen + "Ә".encode("utf-16-be"), 9)
    assert decoded["text"] == "Ә" and decoded["concat"] == {"ref": 0x1234, "total": 2, "seq": 1}
    with pytest.raises(msc_sms_db.DecodeError):
        msc_sms_db.parse_udh(bytes([5, 0x00, 3, 1]))


def test_reassemble_refuses_incomplete_or_duplicate_parts():
    def part(text, ref, total, seq):
        return {"text": text, "concat": {"ref": ref, "total": total, "seq": seq}}

    whole = msc_sms_db.reassemble([part("b", 1, 2, 2), {"text": "x", "concat": None},
                                   part("a", 1, 2, 1), part("z", 2, 1, 1)])
    assert [(m["text"], m["ref"], m["total"]) for m in whole] == [
        ("ab", 1, 2), ("x", None, 1), ("z", 2, 1)]
    with pytest.raises(ValueError, match="have parts \\[1\\] of 2"):
        msc_sms_db.reassemble([part("a", 1, 2, 1)])
    with pytest.raises(ValueError, match="duplicate part 1"):
        msc_sms_db.reassemble([part("a", 1, 2, 1), part("a", 1, 2, 1)])
    # A reader polling while parts arrive sees only the whole messages so far.
    arriving = msc_sms_db.reassemble([part("a", 1, 2, 1), {"text": "x", "concat": None},
                                      part("z", 2, 1, 1)], arriving=True)
    assert [(m["text"], m["ref"]) for m in arriving] == [("x", None), ("z", 2)]
    with pytest.raises(ValueError, match="duplicate part 1"):
        msc_sms_db.reassemble([part("a", 1, 2, 1), part("a", 1, 2, 1)], arriving=True)
