"""Small client for the Osmocom CTRL interface (osmo-hlr 4259, osmo-msc 4255).

Wire format (libosmoctrl, IPA framing):

    +--------+--------+------+------+------------------------------------+
    | len_hi | len_lo | 0xEE | 0x00 | ASCII "GET|SET <id> <var> [value]" |
    +--------+--------+------+------+------------------------------------+
    len = big-endian u16 = 1 + len(text)   (counts the 0x00 extension byte)

Replies: "GET_REPLY <id> <var> <value>", "SET_REPLY <id> <var> <value>" or
"ERROR <id> <reason>". Unsolicited "TRAP ..." messages and non-CTRL IPA frames
(e.g. CCM PING) are skipped.

Used by the tests, e.g.
    hlr = Ctrl(port=4259); hlr.set("subscriber.create", imsi)
    msc = Ctrl(port=4255); msc.get("subscriber-list-active-v1"); msc.set("subscriber-expire", imsi)

Stdlib only (Debian's /usr/bin/python3).
"""

import socket
import struct

HLR_CTRL_PORT = 4259
MSC_CTRL_PORT = 4255
_IPA_PROTO_OSMO = 0xEE
_IPA_EXT_CTRL = 0x00


class CtrlError(Exception):
    """The daemon answered ERROR; `reason` is its text (e.g. "No such subscriber.")."""

    def __init__(self, reason, command):
        super().__init__(f"{command}: {reason}")
        self.reason = reason
        self.command = command


def frame(text):
    payload = bytes([_IPA_EXT_CTRL]) + text.encode("ascii")
    return struct.pack(">HB", len(payload), _IPA_PROTO_OSMO) + payload


class Ctrl:
    """One CTRL connection; requests are sequential (one outstanding)."""

    def __init__(self, host="127.0.0.1", port=HLR_CTRL_PORT, timeout=5.0):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._buf = b""
        self._next_id = 1

    def close(self):
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _recv_message(self):
        while True:
            if len(self._buf) >= 3:
                length, proto = struct.unpack(">HB", self._buf[:3])
                if len(self._buf) >= 3 + length:
                    payload = self._buf[3:3 + length]
                    self._buf = self._buf[3 + length:]
                    if proto == _IPA_PROTO_OSMO and payload[:1] == bytes([_IPA_EXT_CTRL]):
                        return payload[1:].decode("ascii", "replace")
                    continue
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("CTRL connection closed by the peer")
            self._buf += chunk

    def request(self, verb, var, value=None):
        """Sends GET/SET; returns the reply value (text after "<verb>_REPLY <id>
        <var> ", possibly empty); raises CtrlError on ERROR."""
        cid = self._next_id
        self._next_id += 1
        text = f"{verb} {cid} {var}" + ("" if value is None else f" {value}")
        self.sock.sendall(frame(text))
        while True:
            reply = self._recv_message()
            if reply.startswith("TRAP "):
                continue
            parts = reply.split(" ", 3)
            if len(parts) < 2 or parts[1] != str(cid):
                raise ConnectionError(f"unexpected CTRL reply to {text!r}: {reply!r}")
            if parts[0] == "ERROR":
                raise CtrlError(reply.split(" ", 2)[2] if len(parts) > 2 else "", text)
            if parts[0] != f"{verb}_REPLY":
                raise ConnectionError(f"unexpected CTRL reply to {text!r}: {reply!r}")
            return parts[3] if len(parts) > 3 else ""

    def get(self, var):
        return self.request("GET", var)

    def set(self, var, value):
        return self.request("SET", var, value)


class HlrCtrl(Ctrl):
    """osmo-hlr helpers (subscriber.* variables)."""

    def __init__(self, host="127.0.0.1", port=HLR_CTRL_PORT, timeout=5.0):
        super().__init__(host, port, timeout)

    def create(self, imsi, msisdn=None):
        """Creates the subscriber (CS and PS enabled); returns its id."""
        sid = self.set("subscriber.create", imsi)
        if msisdn is not None:
            self.set(f"subscriber.by-imsi-{imsi}.msisdn", msisdn)
        return int(sid)

    def delete(self, imsi, missing_ok=False):
        try:
            self.set("subscriber.delete", imsi)
        except CtrlError as err:
            if not (missing_ok and err.reason == "Subscriber doesn't exist."):
                raise

    def info(self, imsi):
        """The subscriber's info as a dict, or None when it does not exist."""
        try:
            reply = self.get(f"subscriber.by-imsi-{imsi}.info")
        except CtrlError as err:
            if err.reason == "No such subscriber.":
                return None
            raise
        return dict(line.split("\t", 1) for line in reply.split("\n") if "\t" in line)


class MscCtrl(Ctrl):
    """osmo-msc helpers."""

    def __init__(self, host="127.0.0.1", port=MSC_CTRL_PORT, timeout=5.0):
        super().__init__(host, port, timeout)

    def active_subscribers(self):
        """{imsi: msisdn} of the subscribers attached in the MSC's VLR
        (GET subscriber-list-active-v1: one "imsi,msisdn" line each)."""
        out = {}
        for line in self.get("subscriber-list-active-v1").splitlines():
            if line.strip():
                imsi, _, msisdn = line.strip().partition(",")
                out[imsi] = msisdn
        return out

    def expire(self, imsi):
        """Drops the subscriber from the VLR (SET subscriber-expire). Raises
        CtrlError("IMSI unknown") when it is not attached."""
        return self.set("subscriber-expire", imsi)
