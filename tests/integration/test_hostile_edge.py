"""Hostile clients at the HTTP edge: each test attacks the real `simexit serve`
in one way and then checks that a well-behaved client is still answered
promptly. Attackers and the well-behaved client use different loopback source
addresses (127.0.0.x), so the per-address limits hit only the attacker.

Bounded: every test opens at most ~300 connections and runs for a few
seconds. Memory: the server's VmRSS and VmHWM (peak) are read from
/proc/<pid>/status before and after each attack (Memory below); neither may
grow by more than MEMORY_GROWTH_BOUND (hashing: its own bound, from the pool).
"""

import http.client
import json
import re
import socket
import threading
import time

import pytest
from conftest import Simexit

# The server may grow by at most this much resident memory during a flood.
MEMORY_GROWTH_BOUND = 64 * 1024 * 1024

WELL_BEHAVED = "127.0.0.2"


def attacker(n):
    return f"127.0.1.{n}"


@pytest.fixture
def edge(hlr, tmp_path):
    """simexit with short header/idle timeouts and small, testable limits."""
    s = Simexit(tmp_path, worker=False)
    text = "\n".join(l for l in s.config.read_text().split("\n")
                     if not l.startswith("requests_per_second_per_"))
    s.config.write_text(
        text.replace(
            "[server]\n",
            "[server]\n"
            "max_connections = 512\n"
            "header_timeout_seconds = 2\n"
            "idle_timeout_seconds = 5\n"
            "max_connections_per_address = 8\n"
            "requests_per_second_per_address = 20\n"
            "request_burst_per_address = 20\n"
            "requests_per_second_per_credential = 2\n"
            "request_burst_per_credential = 10\n",
            1,
        )
    )
    s.demo()
    s.start()
    try:
        yield s
    finally:
        s.stop()


def connect(s, source, timeout=10):
    sock = socket.create_connection(("127.0.0.1", s.port), timeout=timeout,
                                    source_address=(source, 0))
    return sock


def read_response(sock):
    """Reads one HTTP response: (status, headers dict lower-case, body bytes).
    Returns (None, {}, b"") when the server closed without answering."""
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = sock.recv(65536)
        except (ConnectionResetError, socket.timeout):
            chunk = b""
        if not chunk:
            return None, {}, b""
        data += chunk
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, value = line.split(":", 1)
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return status, headers, body


def closed_by_server(sock, within=10):
    sock.settimeout(within)
    try:
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return True
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def raw(s, request, source=WELL_BEHAVED):
    sock = connect(s, source)
    try:
        sock.sendall(request)
        status, headers, body = read_response(sock)
        return status, headers, body, sock
    except Exception:
        sock.close()
        raise


def code_of(body):
    return json.loads(body)["code"]


def assert_responsive(s, bound=2.0):
    """The well-behaved client is answered, quickly."""
    start = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10,
                                      source_address=(WELL_BEHAVED, 0))
    conn.request("GET", "/v1/health")
    response = conn.getresponse()
    response.read()
    conn.close()
    elapsed = time.monotonic() - start
    assert response.status == 200
    assert elapsed < bound, f"/v1/health took {elapsed:.2f} s"


def status_bytes(s, field):
    with open(f"/proc/{s.proc.pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    raise AssertionError(f"no {field}")


def rss_bytes(s):
    return status_bytes(s, "VmRSS")


class Memory:
    """The server's memory across an attack: `check()` fails when its resident
    size, now or at its peak during the attack (VmHWM, when the attack made a
    new peak), is more than `bound` above where it was before."""

    def __init__(self, s, bound=MEMORY_GROWTH_BOUND):
        self.s = s
        self.bound = bound
        self.rss = rss_bytes(s)
        self.hwm = status_bytes(s, "VmHWM")

    def check(self):
        rss = rss_bytes(self.s)
        hwm = status_bytes(self.s, "VmHWM")
        peak = max(rss, hwm if hwm > self.hwm else 0)
        growth = peak - self.rss
        assert growth < self.bound, f"grew {growth >> 20} MiB (bound {self.bound >> 20} MiB)"
        return growth


# ------------------------------------------------------------ 1. body limit


def test_made_up_credential_gets_the_small_body_limit(edge):
    """A credential-looking header no longer earns the upload limit: the
    key is checked (against the store) before any of the body is read."""
    big = 1024 * 1024
    fake = "sk_kcell_" + "0" * 48
    status, _, body, sock = raw(
        edge,
        (f"POST /v1/uploads?filename=scan.pdf HTTP/1.1\r\nHost: t\r\n"
         f"Authorization: Bearer {fake}\r\nContent-Type: application/pdf\r\n"
         f"Content-Length: {big}\r\n\r\n").encode(),
        source=attacker(1),
    )
    sock.close()
    assert status == 413
    assert code_of(body) == "body_too_large"

    # A real operator key still gets the upload limit: "100 Continue".
    status, _, _, sock = raw(
        edge,
        (f"POST /v1/uploads?filename=scan.pdf HTTP/1.1\r\nHost: t\r\n"
         f"Authorization: Bearer {edge.keys['kcell']}\r\nContent-Type: application/pdf\r\n"
         f"Expect: 100-continue\r\nContent-Length: {big}\r\n\r\n").encode(),
    )
    sock.close()
    assert status == 100
    assert_responsive(edge)


# ------------------------------------------------- 2. bounded read buffers


def test_endless_chunk_extension_and_trailers_are_cut(edge):
    memory = Memory(edge)
    header = b"POST /v1/auth/otp HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
    status, _, body, sock = raw(edge, header + b"5;x=" + b"a" * 1000 + b"\r\nhello\r\n0\r\n\r\n",
                                source=attacker(1))
    assert status == 400 and code_of(body) == "chunk_extension_too_large"
    assert closed_by_server(sock)
    sock.close()

    # Endless extensions and trailers on many connections at once: each is
    # answered 431 once it passes the per-connection buffer, none grows.
    socks = []
    for i in range(40):
        sock = connect(edge, attacker(2 + i // 8))
        sock.sendall(header + (b"5;x=" if i % 2 else b"5\r\nhello\r\n0\r\nX-T: "))
        socks.append(sock)
    filler = b"a" * 4096
    for _ in range(16):  # 64 KiB each: past any sane buffer
        for sock in socks:
            try:
                sock.sendall(filler)
            except (BrokenPipeError, ConnectionResetError):
                pass
    answered = 0
    for sock in socks:
        status, _, body, = read_response(sock)[:3]
        if status is not None:
            assert status == 431 and code_of(body) == "headers_too_large"
            answered += 1
        sock.close()
    assert answered == len(socks)
    memory.check()
    assert_responsive(edge)


# ---------------------------------------------------- 3. request smuggling


@pytest.mark.parametrize("encoding", ["gzip", "chunked, gzip", "identity"])
def test_transfer_encoding_other_than_chunked_is_refused(edge, encoding):
    memory = Memory(edge)
    smuggled = b"GET /v1/health HTTP/1.1\r\nHost: t\r\n\r\n"
    status, _, body, sock = raw(
        edge,
        (f"POST /v1/auth/otp HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: {encoding}\r\n\r\n")
        .encode() + smuggled,
        source=attacker(1),
    )
    assert status == 501 and code_of(body) == "unsupported_transfer_encoding"
    # The smuggled request is never answered: the connection just closes.
    assert read_response(sock)[0] is None
    sock.close()
    assert_responsive(edge)
    memory.check()


def test_content_length_with_transfer_encoding_is_refused(edge):
    memory = Memory(edge)
    smuggled = b"GET /v1/health HTTP/1.1\r\nHost: t\r\n\r\n"
    status, _, body, sock = raw(
        edge,
        b"POST /v1/auth/otp HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n"
        b"Content-Length: 2\r\n\r\n{}" + smuggled,
        source=attacker(1),
    )
    assert status == 400 and code_of(body) == "ambiguous_body_length"
    assert read_response(sock)[0] is None
    sock.close()
    assert_responsive(edge)
    memory.check()


# -------------------------------------------------------- 4. per client


def test_connections_per_address_are_capped(edge):
    held = [connect(edge, attacker(1)) for _ in range(8)]
    time.sleep(0.2)  # all accepted
    status, headers, body, sock = raw(edge, b"GET /v1/health HTTP/1.1\r\nHost: t\r\n\r\n",
                                      source=attacker(1))
    assert status == 503 and code_of(body) == "too_many_connections"
    assert headers.get("retry-after") == "1"
    sock.close()
    assert_responsive(edge)
    for sock in held:
        sock.close()


def test_slowloris_costs_nothing(edge):
    """Clients that trickle their headers are dropped at the header timeout
    (2 s here) even though they keep sending."""
    memory = Memory(edge)
    socks = [connect(edge, attacker(1 + i // 8)) for i in range(40)]
    for sock in socks:
        sock.sendall(b"GET /v1/health HTTP/1.1\r\n")
    start = time.monotonic()
    alive = list(socks)
    while alive and time.monotonic() - start < 8:
        for sock in list(alive):
            try:
                sock.sendall(b"X-A: b\r\n")
            except (BrokenPipeError, ConnectionResetError):
                alive.remove(sock)
        assert_responsive(edge)
        time.sleep(0.3)
    assert not alive, f"{len(alive)} slow connections still open after 8 s"
    assert time.monotonic() - start < 6
    memory.check()
    for sock in socks:
        sock.close()


def test_request_rate_per_address_and_credential(edge):
    conn = http.client.HTTPConnection("127.0.0.1", edge.port, timeout=10,
                                      source_address=(attacker(1), 0))
    statuses = []
    retry_after = None
    for _ in range(40):
        try:
            conn.request("GET", "/v1/health")
            r = conn.getresponse()
            body = r.read()
        except (http.client.HTTPException, ConnectionError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", edge.port, timeout=10,
                                              source_address=(attacker(1), 0))
            continue
        statuses.append(r.status)
        if r.status == 429:
            assert json.loads(body)["code"] == "rate_limited"
            retry_after = r.getheader("Retry-After")
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", edge.port, timeout=10,
                                              source_address=(attacker(1), 0))
    conn.close()
    assert 429 in statuses and 200 in statuses, statuses
    assert retry_after is not None and int(retry_after) >= 1
    assert_responsive(edge)

    # One credential from many addresses: limited by the credential's bucket.
    limited = 0
    for i in range(30):
        status, headers, _, sock = raw(
            edge,
            b"GET /v1/staff/me HTTP/1.1\r\nHost: t\r\nAuthorization: Bearer ss_made_up\r\n\r\n",
            source=attacker(10 + i))
        sock.close()
        if status == 429:
            limited += 1
            assert int(headers["retry-after"]) >= 1
        else:
            assert status == 401
    assert limited > 0
    assert_responsive(edge)


# ------------------------------------------------------ 5. password hashing


# Defaults of server.password_hash_threads and server.password_hash_queue:
# at most this many Argon2id hashes (64 MiB each) are in memory at once.
HASHES_AT_ONCE = 1 + 2
HASHING_MEMORY_BOUND = HASHES_AT_ONCE * 64 * 1024 * 1024 + MEMORY_GROWTH_BOUND


def test_staff_sign_in_storm_leaves_other_requests_answered(edge):
    """50 concurrent staff sign-ins (Argon2id, 64 MiB each) run on a bounded
    pool: the excess is refused 503 "busy" with Retry-After, /v1/health and a
    line read answer while sign-ins are still in flight, and memory stays
    within what the pool may hold."""
    key = edge.keys["kcell"]
    number = next(n for n, line in edge.lines.items() if line["operator"] == "kcell")
    results = []
    lock = threading.Lock()
    go = threading.Event()

    def sign_in(i):
        go.wait()
        conn = http.client.HTTPConnection("127.0.0.1", edge.port, timeout=60,
                                          source_address=(f"127.0.2.{i + 1}", 0))
        conn.request("POST", "/v1/staff/login",
                     json.dumps({"username": f"nobody{i}", "password": "x" * 12}),
                     {"Content-Type": "application/json"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        with lock:
            results.append((time.monotonic(), r.status, r.getheader("Retry-After"), body))

    threads = [threading.Thread(target=sign_in, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    memory = Memory(edge, bound=HASHING_MEMORY_BOUND)
    go.set()
    time.sleep(0.05)
    health_start = time.monotonic()
    # Without the pool the 4 handler threads would all be hashing and
    # /v1/health would queue behind ~45 sign-ins (seconds).
    assert_responsive(edge, bound=1.5)
    conn = http.client.HTTPConnection("127.0.0.1", edge.port, timeout=10,
                                      source_address=(WELL_BEHAVED, 0))
    conn.request("GET", "/v1/lines/" + number.replace("+", "%2B"),
                 headers={"Authorization": f"Bearer {key}"})
    line = conn.getresponse()
    line.read()
    conn.close()
    health_done = time.monotonic()
    assert line.status == 200
    assert health_done - health_start < 2.5, f"health and a line read took {health_done - health_start:.2f} s"
    for t in threads:
        t.join(60)
    assert len(results) == 50
    busy = [r for r in results if r[1] == 503]
    assert busy, "no sign-in was refused"
    for _, status, retry_after, body in results:
        assert status in (401, 503), (status, body)
        if status == 503:
            assert json.loads(body)["code"] == "busy" and retry_after == "1"
    # Health was answered before the last sign-in was (they were in flight).
    slowest = max(r[0] for r in results if r[1] == 401)
    assert health_done < slowest or health_done - health_start < 1.0
    memory.check()


# ------------------------------------------- 6. headers, idle sockets, probes


def test_huge_headers_are_refused_without_growing(edge):
    """One enormous header, or very many small ones, on 40 connections at
    once: each is answered 431 once it passes the 8 KiB header limit, and
    closed; the server holds at most the limit per connection."""
    memory = Memory(edge)
    socks = []
    for i in range(40):
        sock = connect(edge, attacker(1 + i // 8))
        sock.sendall(b"GET /v1/health HTTP/1.1\r\nHost: t\r\n")
        socks.append(sock)
    for _ in range(16):  # 64 KiB each
        for i, sock in enumerate(socks):
            chunk = b"X-Big: " + b"a" * 4085 + b"\r\n" if i % 2 else b"X-A: b\r\n" * 455
            try:
                sock.sendall(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
    for sock in socks:
        status, _, body = read_response(sock)
        assert status == 431 and code_of(body) == "headers_too_large"
        assert closed_by_server(sock)
        sock.close()
    assert_responsive(edge)
    memory.check()


def test_300_idle_sockets_cost_little_and_are_dropped(edge):
    """300 connections that send nothing (8 per address, the per-address cap
    here) neither keep a well-behaved client out (max_connections is 512
    here) nor stay: they are closed at the header timeout (2 s here)."""
    memory = Memory(edge)
    start = time.monotonic()
    socks = [connect(edge, f"127.0.6.{1 + i // 8}") for i in range(300)]
    assert_responsive(edge)
    for sock in socks:
        assert closed_by_server(sock, within=max(0.1, 5 - (time.monotonic() - start)))
        sock.close()
    assert time.monotonic() - start < 5
    assert_responsive(edge)
    memory.check()


def normalized(status, headers, body):
    """An answer without what differs for every request (date, request id) or
    with the clock between two requests (a cool-down's seconds left: the two
    asks of a pair may straddle a second, 60 then 59)."""
    kept = {k: v for k, v in headers.items() if k not in ("date", "x-request-id")}
    if "retry-after" in kept:
        kept["retry-after"] = "<seconds>"
    parsed = json.loads(body) if body else {}
    parsed.pop("request_id", None)
    if isinstance(parsed.get("detail"), str):
        parsed["detail"] = re.sub(r"wait \d+ s", "wait <seconds> s", parsed["detail"])
    return status, kept, parsed


def test_enumeration_probes_get_the_same_answers(edge):
    """An attacker probing which numbers are customers' and which usernames
    are staff's, from several addresses, gets answers that differ only in the
    date and the request id. (Staff sign-ins hash a password: 64 MiB each.)"""
    memory = Memory(edge, bound=HASHING_MEMORY_BOUND)
    customers = [r[0] for r in edge.db_query(
        "SELECT msisdn FROM lines WHERE status = 'active' AND holder_id IS NOT NULL "
        "ORDER BY id LIMIT 6")]
    assert len(customers) == 6
    unknown = [f"+7778{i:07d}" for i in range(len(customers))]

    def ask(path, payload, source):
        data = json.dumps(payload).encode()
        status, headers, body, sock = raw(
            edge,
            (f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
             f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n").encode() + data,
            source=source)
        sock.close()
        return normalized(status, headers, body)

    for round_ in range(2):  # the second round hits the resend cool-down
        for i, (c, u) in enumerate(zip(customers, unknown)):
            a = ask("/v1/auth/otp", {"msisdn": c}, attacker(1 + i % 3))
            b = ask("/v1/auth/otp", {"msisdn": u}, attacker(1 + i % 3))
            assert a == b, (round_, c, a, b)
            assert a[0] == (202 if round_ == 0 else 429), a
            a = ask("/v1/auth/otp/verify", {"msisdn": c, "code": "000000"}, attacker(4 + i % 3))
            b = ask("/v1/auth/otp/verify", {"msisdn": u, "code": "000000"}, attacker(4 + i % 3))
            assert a == b and a[0] == 401, (c, a, b)
    for known, other in (("kcell.store", "kcell.nobody"), ("beeline.store", "beeline.nobody")):
        assert known in edge.staff
        a = ask("/v1/staff/login", {"username": known, "password": "x" * 12}, attacker(7))
        b = ask("/v1/staff/login", {"username": other, "password": "x" * 12}, attacker(7))
        assert a == b and a[0] == 401, (a, b)
    assert_responsive(edge)
    memory.check()


# ---------------------------------------------------------- 7. access log


def test_access_log_masks_phone_numbers(edge):
    key = edge.keys["kcell"]
    number = next(n for n, line in edge.lines.items() if line["operator"] == "kcell")
    r = edge.get(f"/v1/lines/{number.replace('+', '%2B')}", token=key)
    assert r.status in (200, 404)
    r = edge.get(f"/v1/lines/{number[1:]}", token=key)
    time.sleep(0.2)
    log = (edge.dir / "serve.log").read_text()
    lines = [l for l in log.splitlines() if "http_request" in l and "/v1/lines/" in l]
    assert lines, log[-2000:]
    for l in lines:
        assert number[1:] not in l, l
        assert number[-4:] in l, l
