"""A holder's sign-out ends the session on the server: the token no longer
works through the API, nor through the pages when its cookie is replayed."""

import http.client
import re
import urllib.parse


def page(s, method, path, cookie, body=None):
    """One page request as a browser sends it, redirects not followed."""
    conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=15)
    headers = {"Cookie": cookie}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    conn.request(method, path, body=body, headers=headers)
    resp = conn.getresponse()
    text = resp.read().decode()
    conn.close()
    return resp.status, resp.getheader("Location"), resp.getheaders(), text


def test_api_logout_ends_the_holder_session(simexit_no_worker):
    s = simexit_no_worker
    msisdn = s.demo_line("kcell", 0)
    token = s.sign_in(msisdn)
    assert s.get(f"/v1/lines/{urllib.parse.quote(msisdn)}", token=token).status == 200

    r = s.post("/v1/auth/logout", token=token)
    assert r.status == 204, r
    r = s.get(f"/v1/lines/{urllib.parse.quote(msisdn)}", token=token)
    assert r.status == 401 and r.json["code"] == "unauthenticated", r
    # Once ended it stays ended; no token at all, or another kind, is refused alike.
    r = s.post("/v1/auth/logout", token=token)
    assert r.status == 401 and r.json["code"] == "unauthenticated", r
    assert s.post("/v1/auth/logout").status == 401
    assert s.post("/v1/auth/logout", token="st_" + "0" * 64).status == 401
    assert s.db_query("SELECT COUNT(*) FROM sessions WHERE msisdn = ?", msisdn)[0][0] == 0


def test_page_sign_out_invalidates_a_replayed_cookie(simexit_no_worker):
    s = simexit_no_worker
    msisdn = s.demo_line("kcell", 1)
    token = s.sign_in(msisdn)
    cookie = f"simexit_session={token}; simexit_csrf={'a' * 32}"
    status, _, _, text = page(s, "GET", "/my/line", cookie)
    assert status == 200, text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', text).group(1)

    status, location, headers, _ = page(s, "POST", "/my/sign-out", cookie, f"csrf={csrf}")
    assert (status, location) == (303, "/my")
    assert any(k.lower() == "set-cookie" and v.startswith("simexit_session=;") and "Max-Age=0" in v
               for k, v in headers), headers
    # The same cookie, sent again, signs nobody in.
    status, location, _, _ = page(s, "GET", "/my/line", cookie)
    assert (status, location) == (303, "/my")
    assert s.get(f"/v1/lines/{urllib.parse.quote(msisdn)}", token=token).status == 401
