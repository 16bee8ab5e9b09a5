"""Minimal SMPP 3.4 ESME for tests (bind_transceiver, submit_sm, receipts).

Independent of simexit's C++ SMPP adapter, so the tests can prove the osmo-msc
SMSC works before blaming (or crediting) simexit.

PDU: header [command_length u32][command_id u32][command_status u32]
[sequence_number u32], all big-endian, then the body (C-octet strings are
NUL-terminated). osmo-msc specifics: for data_coding 0 it packs each octet of
short_message & 0x7F as one septet, so text must be sent as GSM 03.38 septet
values, one per octet (submit_text does that); data_coding 8 is UCS-2 BE.
While a deliver_sm (delivery receipt) is unanswered the MSC keeps the
subscriber "in use", so this client answers every deliver_sm at once.

Stdlib only (Debian's /usr/bin/python3).
"""

import socket
import struct
import time

from msc_sms_db import gsm7_encode

BIND_TRANSCEIVER = 0x00000009
SUBMIT_SM = 0x00000004
DELIVER_SM = 0x00000005
UNBIND = 0x00000006
ENQUIRE_LINK = 0x00000015
ALERT_NOTIFICATION = 0x00000102
GENERIC_NACK = 0x80000000
RESP = 0x80000000

ESME_ROK = 0x00000000
TLV_USER_MESSAGE_REFERENCE = 0x0204
ESM_CLASS_UDHI = 0x40


class SmppError(Exception):
    def __init__(self, what, status):
        super().__init__(f"{what}: command_status {status:#010x}")
        self.status = status


def cstring(value):
    return (value.encode("ascii") if isinstance(value, str) else value) + b"\x00"


def _take_cstring(body, i):
    end = body.index(b"\x00", i)
    return body[i:end].decode("latin-1"), end + 1


def parse_deliver_sm(body):
    """deliver_sm body -> dict (source/destination, esm_class, data_coding,
    short_message bytes, tlvs {tag: bytes})."""
    d = {}
    i = 0
    d["service_type"], i = _take_cstring(body, i)
    d["source_ton"], d["source_npi"] = body[i], body[i + 1]
    d["source_addr"], i = _take_cstring(body, i + 2)
    d["dest_ton"], d["dest_npi"] = body[i], body[i + 1]
    d["destination_addr"], i = _take_cstring(body, i + 2)
    d["esm_class"], d["protocol_id"], d["priority_flag"] = body[i], body[i + 1], body[i + 2]
    i += 3
    _, i = _take_cstring(body, i)  # schedule_delivery_time
    _, i = _take_cstring(body, i)  # validity_period
    (d["registered_delivery"], d["replace_if_present"], d["data_coding"],
     d["sm_default_msg_id"], sm_length) = body[i:i + 5]
    i += 5
    d["short_message"] = body[i:i + sm_length]
    i += sm_length
    d["tlvs"] = {}
    while i + 4 <= len(body):
        tag, length = struct.unpack(">HH", body[i:i + 4])
        d["tlvs"][tag] = body[i + 4:i + 4 + length]
        i += 4 + length
    return d


class SmppClient:
    def __init__(self, host="127.0.0.1", port=2775, timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.timeout = timeout
        self._seq = 0
        self._buf = b""
        self.deliveries = []  # parsed deliver_sm (delivery receipts), answered
        self.alerts = []  # raw alert_notification bodies

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # ---- transport
    def _send_pdu(self, command_id, body, status=0, seq=None):
        if seq is None:
            self._seq += 1
            seq = self._seq
        self.sock.sendall(struct.pack(">IIII", 16 + len(body), command_id, status, seq) + body)
        return seq

    def _read_pdu(self, deadline):
        """(command_id, status, seq, body), or None at the deadline."""
        while True:
            if len(self._buf) >= 16:
                length = struct.unpack(">I", self._buf[:4])[0]
                if len(self._buf) >= length:
                    header, body = self._buf[:16], self._buf[16:length]
                    self._buf = self._buf[length:]
                    _, command_id, status, seq = struct.unpack(">IIII", header)
                    return command_id, status, seq, body
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.sock.settimeout(remaining)
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                return None
            if not chunk:
                raise ConnectionError("the SMSC closed the SMPP connection")
            self._buf += chunk

    def _dispatch(self, pdu):
        """Handles a PDU the SMSC initiated; returns False for anything else."""
        command_id, _status, seq, body = pdu
        if command_id == DELIVER_SM:
            self.deliveries.append(parse_deliver_sm(body))
            self._send_pdu(DELIVER_SM | RESP, b"\x00", seq=seq)
        elif command_id == ENQUIRE_LINK:
            self._send_pdu(ENQUIRE_LINK | RESP, b"", seq=seq)
        elif command_id == ALERT_NOTIFICATION:
            self.alerts.append(body)
        else:
            return False
        return True

    def _call(self, command_id, body):
        seq = self._send_pdu(command_id, body)
        deadline = time.monotonic() + self.timeout
        while True:
            pdu = self._read_pdu(deadline)
            if pdu is None:
                raise TimeoutError(f"no response to command {command_id:#x} seq {seq}")
            if self._dispatch(pdu):
                continue
            if pdu[0] in (command_id | RESP, GENERIC_NACK) and pdu[2] == seq:
                return pdu[1], pdu[3]

    def poll(self, timeout=1.0):
        """Reads and answers SMSC-initiated PDUs for `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            pdu = self._read_pdu(deadline)
            if pdu is None:
                return
            self._dispatch(pdu)

    def wait_receipt(self, timeout=5.0):
        """The next delivery receipt (deliver_sm with esm_class 0x04), or None."""
        deadline = time.monotonic() + timeout
        while True:
            for k, d in enumerate(self.deliveries):
                if d["esm_class"] & 0x3C == 0x04:
                    return self.deliveries.pop(k)
            pdu = self._read_pdu(deadline)
            if pdu is None:
                return None
            self._dispatch(pdu)

    # ---- operations
    def bind_transceiver(self, system_id, password, system_type=""):
        """Returns command_status (0 = bound)."""
        body = (cstring(system_id) + cstring(password) + cstring(system_type)
                + bytes([0x34, 0, 0]) + cstring(""))
        status, _ = self._call(BIND_TRANSCEIVER, body)
        return status

    def submit_sm(self, destination, short_message, data_coding=0, esm_class=0,
                  source="SIMEXIT", source_ton=5, source_npi=0, dest_ton=1, dest_npi=1,
                  registered_delivery=0, user_message_reference=None):
        """Raw submit_sm. Returns (command_status, message_id)."""
        body = (cstring("") + bytes([source_ton, source_npi]) + cstring(source)
                + bytes([dest_ton, dest_npi]) + cstring(destination)
                + bytes([esm_class, 0, 0]) + cstring("") + cstring("")
                + bytes([registered_delivery, 0, data_coding, 0, len(short_message)])
                + bytes(short_message))
        if user_message_reference is not None:
            body += struct.pack(">HHH", TLV_USER_MESSAGE_REFERENCE, 2, user_message_reference)
        status, resp = self._call(SUBMIT_SM, body)
        message_id = resp.split(b"\x00", 1)[0].decode("latin-1") if resp else ""
        return status, message_id

    def submit_text(self, destination, text, ucs2=False, udh=b"", **kw):
        """submit_sm of `text`: GSM 03.38 septets one per octet (dcs 0), or
        UCS-2 BE (dcs 8) when ucs2. A non-empty `udh` (with its length octet)
        is prepended and esm_class gets UDHI."""
        if ucs2:
            payload, dcs = text.encode("utf-16-be"), 8
        else:
            payload, dcs = bytes(gsm7_encode(text)), 0
        if udh:
            kw["esm_class"] = kw.get("esm_class", 0) | ESM_CLASS_UDHI
        return self.submit_sm(destination, bytes(udh) + payload, data_coding=dcs, **kw)

    def unbind(self):
        status, _ = self._call(UNBIND, b"")
        return status


def concat_udh(ref, total, seq):
    """UDH with the 8-bit-reference concatenation IE (IEI 0x00)."""
    return bytes([5, 0x00, 3, ref & 0xFF, total, seq])
