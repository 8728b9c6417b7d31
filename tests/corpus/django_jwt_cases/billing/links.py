"""Signed links (export downloads, receipts)."""
import time

import jwt
from django.conf import settings


def export_link_token(invoice):
    return jwt.encode({"invoice": invoice.number, "exp": int(time.time()) + 600}, settings.SECRET_KEY, algorithm="HS256")  # ok: jwt


def receipt_link_token(invoice):
    grant = {"invoice": invoice.number, "kind": "receipt"}
    return jwt.encode(grant, settings.SECRET_KEY, algorithm="HS256")  # unclear: jwt


def customer_portal_token(customer, ttl=3600):
    grant = dict(tenant=customer.tenant, exp=int(time.time()) + ttl)
    return jwt.encode(grant, settings.SECRET_KEY, algorithm="HS256")  # ok: jwt
