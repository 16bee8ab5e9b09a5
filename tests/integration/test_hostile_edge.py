"""Hostile clients at the HTTP edge: each test attacks the real `simexit serve`
in one way and then checks that a well-behaved client is still answered
promptly. Attackers and the well-behaved client use different loopback source
addresses (127.0.0.x), so the per-address limits hit only the attacker.

Bounded: every test opens at most ~100 connections and runs for a few
seconds. Memory: the server's VmRSS (from /proc/<pid>/status) is read before
and after the floods and must not grow by more than MEMORY_GROWTH_BOUND.
"""

import http.client
import json
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


def rss_bytes(s):
    with open(f"/proc/{s.proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


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
    before = rss_bytes(edge)
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
    assert rss_bytes(edge) - before < MEMORY_GROWTH_BOUND
    assert_responsive(edge)


# ---------------------------------------------------- 3. request smuggling


@pytest.mark.parametrize("encoding", ["gzip", "chunked, gzip", "identity"])
def test_transfer_encoding_other_than_chunked_is_refused(edge, encoding):
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


def test_content_length_with_transfer_encoding_is_refused(edge):
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
    before = rss_bytes(edge)
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
    assert rss_bytes(edge) - before < MEMORY_GROWTH_BOUND
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


def test_staff_sign_in_storm_leaves_other_requests_answered(edge):
    """50 concurrent staff sign-ins (Argon2id, 64 MiB each) run on a bounded
    pool: the excess is refused 503 "busy" with Retry-After, and /v1/health
    answers while sign-ins are still in flight."""
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
    before = rss_bytes(edge)
    go.set()
    time.sleep(0.05)
    health_start = time.monotonic()
    # Without the pool the 4 handler threads would all be hashing and
    # /v1/health would queue behind ~45 sign-ins (seconds).
    assert_responsive(edge, bound=1.5)
    health_done = time.monotonic()
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
    assert rss_bytes(edge) - before < MEMORY_GROWTH_BOUND * 4  # <= 3 hashes of 64 MiB


# ---------------------------------------------------------- 6. access log


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
