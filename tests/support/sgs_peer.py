"""Test peer on osmo-msc's SGs interface: plays the MME and, for SMS, the phone.

Lets a test attach a subscriber to osmo-msc without any radio network and
receive the SMS the MSC delivers to it, so that the whole SMPP -> SMSC -> MS
path can be checked, including the DB row being marked sent.

Protocols (what osmo-msc 1.9.0 does, checked on this machine):

* SGsAP (TS 29.118). Each message: type octet, then TLV IEs (IEI, length, value).
  On the test kernel there is no SCTP: osmo-msc runs with the sctp2tcp shim
  (tests/support/sctp2tcp.c) and its SGs port 127.0.0.1:29118 is TCP where every
  SGsAP message is one frame ``[length u32 BE][ppid u32 BE][message]``
  (framed=True, the default). framed=False uses a real SCTP socket (untested
  here: the kernel lacks SCTP).
* attach: LOCATION-UPDATE-REQUEST (IMSI, MME name, EPS LU type "IMSI attach",
  LAI 001-01-23). The MSC's VLR does a GSUP UpdateLocation to osmo-hlr:
  subscriber known with CS enabled -> LOCATION-UPDATE-ACCEPT (with a new TMSI,
  which the peer confirms with TMSI-REALLOCATION-COMPLETE); unknown IMSI or
  CS disabled -> LOCATION-UPDATE-REJECT with reject cause 0x03 either way.
* MT SMS: PAGING-REQUEST (service indicator SMS) -> SERVICE-REQUEST; then
  DOWNLINK-UNITDATA carrying CP-DATA(RP-DATA(SMS-DELIVER)) (TS 24.011). The
  peer answers CP-ACK, then CP-DATA(RP-ACK); the MSC marks the SMS sent,
  answers CP-ACK and ends with RELEASE-REQUEST.

Stdlib only (Debian's /usr/bin/python3).
"""

import socket
import struct
import time

from msc_sms_db import decode_user_data, gsm7_decode, unpack_septets

# SGsAP message types (TS 29.118 9.2, as numbered in libosmocore gsm_29_118.h)
PAGING_REQUEST = 0x01
SERVICE_REQUEST = 0x06
DOWNLINK_UNITDATA = 0x07
UPLINK_UNITDATA = 0x08
LOCATION_UPDATE_REQUEST = 0x09
LOCATION_UPDATE_ACCEPT = 0x0A
LOCATION_UPDATE_REJECT = 0x0B
TMSI_REALLOCATION_COMPLETE = 0x0C
IMSI_DETACH_INDICATION = 0x13
IMSI_DETACH_ACK = 0x14
RESET_INDICATION = 0x15
RESET_ACK = 0x16
MM_INFORMATION_REQUEST = 0x1A
RELEASE_REQUEST = 0x1B

# SGsAP IEIs (TS 29.118 9.3)
IE_IMSI = 0x01
IE_LAI = 0x04
IE_MME_NAME = 0x09
IE_EPS_LU_TYPE = 0x0A
IE_MOBILE_IDENTITY = 0x0E
IE_REJECT_CAUSE = 0x0F
IE_IMSI_DETACH_NON_EPS_TYPE = 0x11
IE_NAS_CONTAINER = 0x16
IE_SERVICE_INDICATOR = 0x20
IE_UE_EMM_MODE = 0x25

# TS 24.011
PD_SMS = 0x09
CP_DATA = 0x01
CP_ACK = 0x04
RP_DATA_NETWORK_TO_MS = 0x01
RP_ACK_MS_TO_NETWORK = 0x02

# osmo-msc wants a well-formed MME FQDN (TS 23.003 19.4.2.4). Each peer gets its
# own MME code so that several peers in one session are distinct MMEs to the MSC
# (paging for a subscriber goes to the MME it attached through).
MME_NAME_FORMAT = "mmec{:02x}.mmegi0001.mme.epc.mnc001.mcc001.3gppnetwork.org"
_mme_codes = iter(range(1, 256))


class SgsError(Exception):
    """The MSC sent something the peer did not expect, or closed SGs."""


# ---------------------------------------------------------------- encoding
def encode_imsi(imsi):
    """IMSI -> mobile identity octets (TS 24.008 10.5.1.4, type IMSI)."""
    digits = [int(c) for c in imsi]
    odd = len(digits) % 2 == 1
    out = bytearray([(digits[0] << 4) | (0x08 if odd else 0) | 0x01])
    rest = digits[1:] + ([] if odd else [0xF])
    for i in range(0, len(rest), 2):
        out.append((rest[i + 1] << 4) | rest[i])
    return bytes(out)


def decode_imsi(data):
    digits = [data[0] >> 4]
    for octet in data[1:]:
        digits += [octet & 0x0F, octet >> 4]
    if not data[0] & 0x08:  # even number of digits: last nibble is filler
        digits = digits[:-1]
    return "".join(str(d) for d in digits)


def encode_lai(mcc, mnc, lac):
    m = [int(c) for c in mcc]
    n = [int(c) for c in mnc]
    n3 = n[2] if len(n) == 3 else 0xF
    return bytes([(m[1] << 4) | m[0], (n3 << 4) | m[2], (n[1] << 4) | n[0], lac >> 8, lac & 0xFF])


def dns_labels(name):
    return b"".join(bytes([len(label)]) + label.encode() for label in name.split("."))


def ie(iei, value):
    return bytes([iei, len(value)]) + value


def parse_sgsap(message):
    """SGsAP message -> (type, {iei: value})."""
    ies = {}
    i = 1
    while i + 2 <= len(message):
        iei, length = message[i], message[i + 1]
        ies[iei] = message[i + 2:i + 2 + length]
        i += 2 + length
    return message[0], ies


def _bcd_digits(data, count=None):
    digits = "".join(f"{b & 0x0F:x}{b >> 4:x}" for b in data)
    if count is not None:
        digits = digits[:count]
    return digits.replace("f", "")


def decode_sms_deliver(tpdu):
    """SMS-DELIVER TPDU (TS 23.040 9.2.2.1) -> dict:
    originator, originator_ton_npi, pid, dcs, scts (hex), udl, udhi, srr,
    text, septets (GSM 7-bit only), udh, concat ({ref, total, seq} or None)."""
    first = tpdu[0]
    if first & 0x03 != 0:
        raise SgsError(f"not an SMS-DELIVER: {tpdu.hex()}")
    oa_digits, oa_ton_npi = tpdu[1], tpdu[2]
    oa_octets = (oa_digits + 1) // 2
    oa = tpdu[3:3 + oa_octets]
    if (oa_ton_npi >> 4) & 0x07 == 5:  # alphanumeric, GSM 7-bit packed
        septets = unpack_septets(oa, oa_digits * 4 // 7)
        # A 7-character name fills 49 bits; osmo-msc announces 14 semi-octets
        # (56 bits), so a last septet of zero ('@') is padding, not text.
        if septets and septets[-1] == 0 and (oa_digits * 4) % 7 == 0:
            septets = septets[:-1]
        originator = gsm7_decode(septets)
    else:
        originator = _bcd_digits(oa, oa_digits)
    i = 3 + oa_octets
    pid, dcs = tpdu[i], tpdu[i + 1]
    scts = tpdu[i + 2:i + 9]
    udl = tpdu[i + 9]
    udhi = bool(first & 0x40)
    decoded = decode_user_data(dcs, udhi, tpdu[i + 10:], udl)
    return {"originator": originator, "originator_ton_npi": oa_ton_npi, "pid": pid,
            "dcs": dcs, "scts": scts.hex(), "udl": udl, "udhi": udhi,
            "srr": bool(first & 0x20), **decoded, "tpdu": bytes(tpdu)}


# ---------------------------------------------------------------- the peer
class SgsPeer:
    """One SGs association to osmo-msc, acting as MME (and UE for SMS)."""

    def __init__(self, host="127.0.0.1", port=29118, framed=True, timeout=5.0,
                 mme_name=None, lai=("001", "01", 23)):
        self.framed = framed
        self.mme_name = mme_name or MME_NAME_FORMAT.format(next(_mme_codes))
        self.lai = lai
        self.last_reject_cause = None
        self.tmsi = {}
        self._backlog = []  # messages for other IMSIs, read while waiting
        if framed:
            self.sock = socket.create_connection((host, port), timeout=timeout)
            self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        else:
            self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_SCTP)
            self.sock.settimeout(timeout)
            self.sock.connect((host, port))

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- transport
    def send(self, message):
        if self.framed:
            self.sock.sendall(struct.pack(">II", len(message), 0) + message)
        else:
            self.sock.sendall(message)

    def _read_exact(self, n):
        data = b""
        while len(data) < n:
            chunk = self.sock.recv(n - len(data))
            if not chunk:
                raise SgsError("osmo-msc closed the SGs connection")
            data += chunk
        return data

    def _recv_raw(self, timeout):
        """One SGsAP message from the socket; socket.timeout when none came."""
        self.sock.settimeout(max(timeout, 0.001))
        if not self.framed:
            message = self.sock.recv(65536)
            if not message:
                raise SgsError("osmo-msc closed the SGs connection")
            return message
        header = self._read_exact(8)
        self.sock.settimeout(5.0)  # the rest of a started frame follows at once
        length, _ppid = struct.unpack(">II", header)
        return self._read_exact(length)

    def _recv(self, imsi, deadline):
        """Next message for `imsi` (or without an IMSI IE) as (type, ies), or
        None at the deadline. Messages for other IMSIs are kept for later;
        RESET-INDICATION is acknowledged here."""
        for k, (mtype, ies) in enumerate(self._backlog):
            if decode_imsi(ies[IE_IMSI]) == imsi:
                del self._backlog[k]
                return mtype, ies
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            try:
                mtype, ies = parse_sgsap(self._recv_raw(remaining))
            except socket.timeout:
                return None
            if mtype == RESET_INDICATION:
                self.send(bytes([RESET_ACK]) + ie(IE_MME_NAME, dns_labels(self.mme_name)))
                continue
            if IE_IMSI in ies and decode_imsi(ies[IE_IMSI]) != imsi:
                self._backlog.append((mtype, ies))
                continue
            return mtype, ies

    # ---- mobility
    def attach(self, imsi, timeout=5.0):
        """SGs IMSI attach (location update). True when the MSC accepted it,
        False when it rejected it (cause in last_reject_cause, an int).
        Raises SgsError when neither arrives within `timeout`."""
        self.last_reject_cause = None
        lai = encode_lai(*self.lai)
        self.send(bytes([LOCATION_UPDATE_REQUEST]) + ie(IE_IMSI, encode_imsi(imsi))
                  + ie(IE_MME_NAME, dns_labels(self.mme_name))
                  + ie(IE_EPS_LU_TYPE, b"\x01")  # IMSI attach
                  + ie(IE_LAI, lai))
        deadline = time.monotonic() + timeout
        while True:
            got = self._recv(imsi, deadline)
            if got is None:
                raise SgsError(f"no answer to the location update of {imsi} in {timeout}s")
            mtype, ies = got
            if mtype == LOCATION_UPDATE_ACCEPT:
                if IE_MOBILE_IDENTITY in ies:  # new TMSI: confirm it
                    self.tmsi[imsi] = ies[IE_MOBILE_IDENTITY][1:].hex()
                    self.send(bytes([TMSI_REALLOCATION_COMPLETE]) + ie(IE_IMSI, encode_imsi(imsi)))
                return True
            if mtype == LOCATION_UPDATE_REJECT:
                cause = ies.get(IE_REJECT_CAUSE, b"")
                self.last_reject_cause = cause[0] if cause else None
                return False
            if mtype in (RELEASE_REQUEST, MM_INFORMATION_REQUEST):
                continue  # left over from an earlier transaction of this IMSI
            raise SgsError(f"unexpected SGsAP message {mtype:#04x} during attach of {imsi}")

    def detach(self, imsi, timeout=5.0):
        """Explicit UE-initiated IMSI detach from non-EPS services. Returns
        True when the MSC acknowledged it (IMSI-DETACH-ACK)."""
        self.send(bytes([IMSI_DETACH_INDICATION]) + ie(IE_IMSI, encode_imsi(imsi))
                  + ie(IE_MME_NAME, dns_labels(self.mme_name))
                  + ie(IE_IMSI_DETACH_NON_EPS_TYPE, b"\x01"))
        deadline = time.monotonic() + timeout
        while True:
            got = self._recv(imsi, deadline)
            if got is None:
                return False
            if got[0] == IMSI_DETACH_ACK:
                return True

    # ---- mobile-terminated SMS
    def _uplink_nas(self, imsi, nas):
        self.send(bytes([UPLINK_UNITDATA]) + ie(IE_IMSI, encode_imsi(imsi))
                  + ie(IE_NAS_CONTAINER, nas))

    def receive_sms(self, imsi, timeout=10.0, count=None):
        """Acts as the phone of `imsi` until the MSC released it after at least
        one SMS (count None), until `count` SMS arrived (and the MSC released),
        or until `timeout` seconds passed. Answers paging, acknowledges every
        SMS (CP-ACK, RP-ACK) so the MSC marks it sent, and returns the decoded
        SMS-DELIVERs (see decode_sms_deliver, plus smsc, rp_mr, ti) in arrival
        order; [] when nothing arrived."""
        deadline = time.monotonic() + timeout
        got = []
        while True:
            message = self._recv(imsi, deadline)
            if message is None:
                return got
            mtype, ies = message
            if mtype == PAGING_REQUEST:
                self.send(bytes([SERVICE_REQUEST]) + ie(IE_IMSI, encode_imsi(imsi))
                          + ie(IE_SERVICE_INDICATOR, b"\x02")  # SMS
                          + ie(IE_UE_EMM_MODE, b"\x00"))  # EMM-IDLE
            elif mtype == DOWNLINK_UNITDATA:
                sms = self._handle_nas(imsi, ies[IE_NAS_CONTAINER])
                if sms is not None:
                    got.append(sms)
            elif mtype == RELEASE_REQUEST:
                if got and (count is None or len(got) >= count):
                    return got

    def _handle_nas(self, imsi, nas):
        """Answers one downlink NAS message; returns the SMS when it carried one."""
        if nas[0] & 0x0F != PD_SMS or len(nas) < 2:
            return None
        ti = (nas[0] >> 4) & 0x07
        uplink_ti_pd = 0x80 | (ti << 4) | PD_SMS  # TI flag 1: we answer the MSC's transaction
        if nas[1] != CP_DATA:
            return None  # CP-ACK for our RP-ACK
        rp = nas[3:3 + nas[2]]
        if rp[0] != RP_DATA_NETWORK_TO_MS:
            return None
        rp_mr = rp[1]
        j = 2
        oa_len = rp[j]
        smsc = _bcd_digits(rp[j + 2:j + 1 + oa_len]) if oa_len > 1 else ""
        j += 1 + oa_len
        j += 1 + rp[j]  # RP-DA, empty towards the MS
        tpdu = rp[j + 1:j + 1 + rp[j]]
        sms = decode_sms_deliver(tpdu)
        sms.update({"smsc": smsc, "rp_mr": rp_mr, "ti": ti})
        self._uplink_nas(imsi, bytes([uplink_ti_pd, CP_ACK]))
        rp_ack = bytes([RP_ACK_MS_TO_NETWORK, rp_mr])
        self._uplink_nas(imsi, bytes([uplink_ti_pd, CP_DATA, len(rp_ack)]) + rp_ack)
        return sms
