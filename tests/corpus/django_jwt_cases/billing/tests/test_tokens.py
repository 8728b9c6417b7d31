import jwt

from billing.links import receipt_link_token


class FakeInvoice:
    number = "INV-1"


def test_receipt_link_names_the_invoice():
    token = receipt_link_token(FakeInvoice())
    claims = jwt.decode(token, options={"verify_signature": False})  # ok: jwt
    assert claims["invoice"] == "INV-1"
