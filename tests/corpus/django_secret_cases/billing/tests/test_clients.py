from billing import clients

FAKE_KEY = "sk_test_4eC39HqLyjWDarjtT1zdp7dc"  # ok: hardcoded-secret
PASSWORD = "Sup3r-S3cret-pw!"  # ok: hardcoded-secret


def test_session_uses_basic_auth():
    session = clients.ledger_session()
    assert session.auth[0] == "billing-svc"
