"""Idempotency-Key on the POSTs that create or change something besides
POST /v1/terminations (docs/openapi.yaml "Idempotency-Key",
src/simexit/api/idempotent.hpp): a repeat is the first answer replayed and
does nothing again; the same key with another request is refused; the same
key on two `serve` instances at once does the work once (PostgreSQL only)."""

import pytest

from conftest import USE_PG, free_port
from problem_asserts import header, line_with, refused, store
from bulk_helpers import Process, at_once


def api_keys_labelled(s, label):
    return s.db_query("SELECT count(*) FROM api_keys WHERE label = ?", label)[0][0]


def test_a_counter_payment_repeated_is_paid_once_and_answered_the_same(simexit):
    s = simexit
    key = s.keys["kcell"]
    r = s.post("/v1/terminations", store(s, line_with(s, "kcell", "debt")), token=key)
    assert r.status == 201, r
    tid = r.json["id"]
    due = s.wait_state(tid, key, {"awaiting_payment"}, timeout=30)["settlement"]["amount_due"]
    pay = {"Idempotency-Key": "till-7-receipt-1"}

    first = s.post(f"/v1/terminations/{tid}/payments", {"amount": due}, token=key, headers=pay)
    assert first.status == 200, first
    assert header(first, "Idempotent-Replayed") is None, first.headers
    s.wait_state(tid, key, {"terminated"}, timeout=30)
    again = s.post(f"/v1/terminations/{tid}/payments", {"amount": due}, token=key, headers=pay)
    assert again.status == 200, again
    assert header(again, "Idempotent-Replayed") == "true", again.headers
    assert again.text == first.text
    # Without the key the same payment is refused by state: one payment.
    r = s.post(f"/v1/terminations/{tid}/payments", {"amount": due}, token=key)
    assert r.status == 409 and r.json["code"] == "illegal_transition", r
    payments = s.db_query("SELECT count(*) FROM postings WHERE kind = 'payment'")[0][0]
    assert payments == 1

    # The key with another request: refused, nothing changes.
    s.wait_jobs_idle()
    refused(s, 409, "idempotency_key_reused",
            lambda: s.post(f"/v1/terminations/{tid}/payments", {"amount": "1.00"}, token=key,
                           headers=pay))
    refused(s, 409, "idempotency_key_reused",
            lambda: s.post(f"/v1/terminations/{tid}/cancel", {}, token=key, headers=pay))


def test_an_api_key_created_twice_with_one_key_is_one_key(simexit_no_worker):
    s = simexit_no_worker
    admin = s.keys["admin"]
    ik = {"Idempotency-Key": "provision-till-7"}
    first = s.post("/v1/operators/kcell/api-keys", {"label": "till-7"}, token=admin, headers=ik)
    assert first.status == 201, first
    again = s.post("/v1/operators/kcell/api-keys", {"label": "till-7"}, token=admin, headers=ik)
    assert again.status == 201, again
    assert header(again, "Idempotent-Replayed") == "true", again.headers
    assert again.json == first.json
    assert api_keys_labelled(s, "till-7") == 1
    # The replayed key is the one that works.
    assert s.get("/v1/terminations", token=again.json["key"]).status == 200
    # Without a key, each call is a new key (what the header prevents).
    for _ in range(2):
        assert s.post("/v1/operators/kcell/api-keys", {"label": "till-8"}, token=admin).status == 201
    assert api_keys_labelled(s, "till-8") == 2
    # Another body under the key is refused; another caller's key is its own.
    refused(s, 409, "idempotency_key_reused",
            lambda: s.post("/v1/operators/kcell/api-keys", {"label": "till-9"}, token=admin,
                           headers=ik))
    over = s.post("/v1/operators/kcell/api-keys", {"label": "till-7"}, token=admin,
                  headers={"Idempotency-Key": "k" * 201})
    assert over.status == 400 and over.json["code"] == "invalid_idempotency_key", over
    # The store keeps neither the Idempotency-Key nor the new API key in clear.
    rows = s.db_query('SELECT "key", response_body FROM idempotent_requests')
    assert len(rows) == 1, rows
    assert "provision-till-7" not in rows[0][0]
    assert first.json["key"] not in rows[0][1] and "till-7" not in rows[0][1]


def test_a_server_error_keeps_nothing_and_a_refusal_is_kept(simexit_no_worker):
    s = simexit_no_worker
    key = s.keys["kcell"]
    ik = {"Idempotency-Key": "cancel-nosuch"}
    r = s.post("/v1/terminations/trm_nosuch/cancel", {}, token=key, headers=ik)
    assert r.status == 404 and r.json["code"] == "termination_not_found", r
    again = s.post("/v1/terminations/trm_nosuch/cancel", {}, token=key, headers=ik)
    assert again.status == 404 and header(again, "Idempotent-Replayed") == "true", again
    assert again.text == r.text


@pytest.mark.skipif(not USE_PG, reason="two instances share PostgreSQL only")
def test_one_key_on_two_instances_at_once_does_the_work_once(simexit_no_worker):
    s = simexit_no_worker
    admin = s.keys["admin"]
    second = Process(s, "serve2", "serve", port=free_port())
    try:
        second.wait_healthy()
        ports = [s.port, second.port]
        for n in range(8):
            label = f"race-{n}"
            answers = at_once([
                lambda p=p: s.request_on(p, "POST", "/v1/operators/kcell/api-keys",
                                         {"label": label}, token=admin,
                                         headers={"Idempotency-Key": label})
                for p in ports])
            done = [r for r in answers if r.status == 201]
            busy = [r for r in answers if r.status == 409]
            assert len(done) + len(busy) == 2 and done, answers
            assert all(r.json["code"] == "idempotency_request_in_progress" and
                       header(r, "Retry-After") == "1" for r in busy), busy
            assert len({r.text for r in done}) == 1, done
            assert api_keys_labelled(s, label) == 1, label
            # Afterwards, either instance replays the one answer.
            for p in ports:
                r = s.request_on(p, "POST", "/v1/operators/kcell/api-keys", {"label": label},
                                 token=admin, headers={"Idempotency-Key": label})
                assert r.status == 201 and r.text == done[0].text, r
                assert header(r, "Idempotent-Replayed") == "true", r.headers
    finally:
        second.stop()
