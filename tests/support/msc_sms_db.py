"""Read-only access to osmo-msc's SMS store, and the GSM 03.38 / 03.40 codecs.

osmo-msc 1.9.0 stores every SMS (submitted over SMPP or not) in the SQLite file
named by `smsc / database` (osmo_msc.sh: RUN_DIR/sms.db), table SMS. Facts this
module relies on (observed with osmo-msc 1.9.0, Debian 12):

* The row is INSERTed before submit_sm_resp is sent, so a test can read it as
  soon as the response arrives. The DB is in WAL mode, so it can be read while
  the MSC runs; this module opens it read-only (``file:...?mode=ro``).
* ``text`` is empty for SMPP messages; the payload is ``user_data``:
  - data coding 0 (GSM 7-bit): GSM 7-bit *packed septets*. osmo-msc does no
    charset mapping: it packs each submitted octet & 0x7F, so the ESME must
    send GSM 03.38 septet values (``€`` = 0x1B 0x65). ``length(user_data)`` is
    the number of septets (TP-UDL); the tail of the blob is 0x00 padding.
  - data coding 8 (UCS-2): the raw UCS-2 big-endian octets.
  - ``ud_hdr_ind`` 1 (esm_class 0x40): ``user_data`` starts with the user data
    header (UDHL + IEs); for 7-bit the text septets then start at the next
    septet boundary (TS 23.040 9.2.3.24 fill bits).
* ``sent`` is NULL until the MS acknowledged delivery (RP-ACK); ``created``,
  ``sent`` and ``valid_until`` are UTC text ``YYYY-MM-DD HH:MM:SS``.

Stdlib only (Debian's /usr/bin/python3).
"""

import sqlite3

# GSM 03.38 default alphabet, indexed by septet value.
GSM7_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\x1bÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# GSM 03.38 extension table: the septet after ESC (0x1B).
GSM7_EXTENSION = {
    0x0A: "\f", 0x14: "^", 0x28: "{", 0x29: "}", 0x2F: "\\",
    0x3C: "[", 0x3D: "~", 0x3E: "]", 0x40: "|", 0x65: "€",
}
GSM7_ESCAPE = 0x1B
_BASIC_INDEX = {ch: i for i, ch in enumerate(GSM7_BASIC) if i != GSM7_ESCAPE}
_EXTENSION_INDEX = {ch: code for code, ch in GSM7_EXTENSION.items()}

IEI_CONCAT_8BIT = 0x00
IEI_CONCAT_16BIT = 0x08


class DecodeError(ValueError):
    """User data that cannot be decoded (bad septet, bad header, odd UCS-2)."""


# ---------------------------------------------------------------- GSM 7-bit
def gsm7_encode(text):
    """Text -> list of GSM 03.38 septet values (extension characters become
    ESC + code). Raises DecodeError for a character outside both tables."""
    out = []
    for ch in text:
        if ch in _BASIC_INDEX:
            out.append(_BASIC_INDEX[ch])
        elif ch in _EXTENSION_INDEX:
            out += [GSM7_ESCAPE, _EXTENSION_INDEX[ch]]
        else:
            raise DecodeError(f"{ch!r} is not in the GSM 03.38 default alphabet")
    return out


def gsm7_decode(septets):
    """List of septet values -> text (GSM 03.38 default alphabet + extension
    table). An unknown escape code decodes as the basic character, as
    TS 23.038 6.2.1.1 asks; a trailing lone ESC is dropped."""
    chars = []
    escaped = False
    for value in septets:
        if value > 0x7F:
            raise DecodeError(f"septet value {value:#x} > 0x7f")
        if escaped:
            chars.append(GSM7_EXTENSION.get(value, GSM7_BASIC[value]))
            escaped = False
        elif value == GSM7_ESCAPE:
            escaped = True
        else:
            chars.append(GSM7_BASIC[value])
    return "".join(chars)


def pack_septets(septets, fill_bits=0):
    """Packs septets LSB first (TS 23.038 6.1.2.1), after `fill_bits` zero bits."""
    acc = 0
    nbits = fill_bits
    out = bytearray()
    for value in septets:
        acc |= (value & 0x7F) << nbits
        nbits += 7
        while nbits >= 8:
            out.append(acc & 0xFF)
            acc >>= 8
            nbits -= 8
    if nbits:
        out.append(acc & 0xFF)
    return bytes(out)


def unpack_septets(data, count, fill_bits=0):
    """First `count` septets of packed `data`, skipping `fill_bits` leading bits.
    Missing trailing octets read as zero (osmo-msc's blob padding)."""
    data = bytes(data)
    out = []
    for i in range(count):
        bit = fill_bits + 7 * i
        byte, shift = divmod(bit, 8)
        lo = data[byte] if byte < len(data) else 0
        hi = data[byte + 1] if byte + 1 < len(data) else 0
        out.append(((lo | (hi << 8)) >> shift) & 0x7F)
    return out


# ---------------------------------------------------------------- UDH
def parse_udh(udh):
    """User data header *including* its length octet -> dict:
    {"ies": [(iei, bytes)], "concat": {"ref", "total", "seq"} or None}.
    Both concatenation IEs are understood (0x00 8-bit ref, 0x08 16-bit ref)."""
    udh = bytes(udh)
    if not udh or udh[0] + 1 != len(udh):
        raise DecodeError(f"bad UDH length in {udh.hex()}")
    ies = []
    concat = None
    i = 1
    while i < len(udh):
        if i + 2 > len(udh):
            raise DecodeError(f"truncated UDH IE in {udh.hex()}")
        iei, length = udh[i], udh[i + 1]
        value = udh[i + 2:i + 2 + length]
        if len(value) != length:
            raise DecodeError(f"truncated UDH IE in {udh.hex()}")
        ies.append((iei, value))
        if iei == IEI_CONCAT_8BIT and length == 3:
            concat = {"ref": value[0], "total": value[1], "seq": value[2]}
        elif iei == IEI_CONCAT_16BIT and length == 4:
            concat = {"ref": (value[0] << 8) | value[1], "total": value[2], "seq": value[3]}
        i += 2 + length
    return {"ies": ies, "concat": concat}


# ---------------------------------------------------------------- user data
def alphabet(dcs):
    """TS 23.038 data coding scheme -> "gsm7", "8bit" or "ucs2"."""
    if dcs & 0xC0 == 0x00 or dcs & 0xC0 == 0x40:  # general data coding (maybe compressed)
        return ("gsm7", "8bit", "ucs2", "8bit")[(dcs >> 2) & 0x03]
    if dcs & 0xF0 == 0xF0:  # data coding / message class
        return "8bit" if dcs & 0x04 else "gsm7"
    if dcs & 0xF0 == 0xE0:  # message waiting, UCS-2
        return "ucs2"
    return "gsm7"  # message waiting groups 0xC0/0xD0


def decode_user_data(dcs, udhi, ud, udl):
    """TP-User-Data -> dict(text, septets (gsm7 only), udh, concat).

    `udl` is TP-UDL: septets for GSM 7-bit (header included), octets otherwise.
    8-bit data is returned as hex text."""
    ud = bytes(ud)
    udh = None
    header_octets = 0
    if udhi:
        if not ud:
            raise DecodeError("UDHI set but no user data")
        header_octets = ud[0] + 1
        udh = parse_udh(ud[:header_octets])
    kind = alphabet(dcs)
    septets = None
    if kind == "gsm7":
        header_septets = (header_octets * 8 + 6) // 7
        fill_bits = header_septets * 7 - header_octets * 8
        count = max(0, udl - header_septets)
        septets = unpack_septets(ud[header_octets:], count, fill_bits)
        text = gsm7_decode(septets)
    elif kind == "ucs2":
        body = ud[header_octets:udl]
        if len(body) % 2:
            raise DecodeError(f"odd UCS-2 length {len(body)}")
        text = body.decode("utf-16-be")
    else:
        text = ud[header_octets:udl].hex()
    return {"text": text, "septets": septets, "udh": udh,
            "concat": udh["concat"] if udh else None}


# ---------------------------------------------------------------- the DB
_COLUMNS = ("id", "created", "sent", "deliver_attempts", "valid_until", "status_rep_req",
            "msg_ref", "protocol_id", "data_coding_scheme", "ud_hdr_ind", "src_addr",
            "src_ton", "src_npi", "dest_addr", "dest_ton", "dest_npi", "user_data")


def read_rows(db_path, dest_addr=None):
    """Rows of table SMS (all, or those to `dest_addr`), oldest first, as dicts
    with the columns above plus: dcs (= data_coding_scheme), text, septets,
    udh, concat (see decode_user_data; text is None when undecodable, with
    the reason in decode_error)."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=5)
    try:
        sql = f"SELECT {', '.join(_COLUMNS)} FROM SMS"
        args = ()
        if dest_addr is not None:
            sql += " WHERE dest_addr = ?"
            args = (dest_addr,)
        rows = []
        for values in con.execute(sql + " ORDER BY id", args):
            row = dict(zip(_COLUMNS, values))
            row["dcs"] = row["data_coding_scheme"]
            data = bytes(row["user_data"] or b"")
            row["user_data"] = data
            try:
                # For 7-bit the blob length is TP-UDL (septets); else octets.
                row.update(decode_user_data(row["dcs"], row["ud_hdr_ind"], data, len(data)))
                row["decode_error"] = None
            except DecodeError as err:
                row.update({"text": None, "septets": None, "udh": None, "concat": None,
                            "decode_error": str(err)})
            rows.append(row)
        return rows
    finally:
        con.close()


def reassemble(parts, arriving=False):
    """Joins concatenated parts (dicts with "text" and "concat", e.g. DB rows or
    SMS-DELIVERs from sgs_peer) into whole messages.

    Returns a list of dicts {"text", "ref", "total", "parts"} in order of first
    appearance. A message without a concatenation IE is its own whole message
    (ref None, total 1). Raises ValueError when a concatenated message is
    incomplete or has a duplicate part; parts of different references never mix.
    With arriving=True, for a reader polling while parts are still being
    submitted one by one, an incomplete message is left out instead (a
    duplicate part still raises).
    """
    messages = []
    by_ref = {}
    for part in parts:
        concat = part.get("concat")
        if not concat:
            messages.append({"text": part["text"], "ref": None, "total": 1, "parts": [part]})
            continue
        key = (concat["ref"], concat["total"])
        if key not in by_ref:
            by_ref[key] = {"text": None, "ref": concat["ref"], "total": concat["total"],
                           "parts": {}}
            messages.append(by_ref[key])
        entry = by_ref[key]
        if concat["seq"] in entry["parts"]:
            raise ValueError(f"duplicate part {concat['seq']} of reference {concat['ref']}")
        entry["parts"][concat["seq"]] = part
    whole = []
    for message in messages:
        if isinstance(message["parts"], dict):
            seqs = sorted(message["parts"])
            if seqs != list(range(1, message["total"] + 1)):
                if arriving and len(seqs) < message["total"]:
                    continue
                raise ValueError(f"reference {message['ref']}: have parts {seqs} of "
                                 f"{message['total']}")
            message["parts"] = [message["parts"][s] for s in seqs]
            message["text"] = "".join(p["text"] for p in message["parts"])
        whole.append(message)
    return whole


if __name__ == "__main__":
    import sys

    if len(sys.argv) not in (2, 3):
        sys.exit("usage: msc_sms_db.py SMS_DB [DEST_MSISDN]")
    for r in read_rows(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else None):
        print({k: (v.hex() if isinstance(v, bytes) else v) for k, v in r.items()})
