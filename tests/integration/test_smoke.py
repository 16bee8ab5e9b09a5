def test_health_and_public_key(simexit):
    r = simexit.get("/v1/health")
    assert r.status == 200 and r.json == {"status": "ok"}
    r = simexit.get("/v1/certificates/public-key")
    assert r.status == 200
    assert len(r.json["public_key_hex"]) == 64
