import hashlib
import hmac
import os

from flask import Blueprint, abort, request

from .extensions import db
from .models import Delivery

hooks = Blueprint("hooks", __name__)
SECRET = os.environ.get("MAILER_WEBHOOK_SECRET", "").encode()


@hooks.post("/mailer")
def mailer_delivery():  # ok: csrf
    expected = hmac.new(SECRET, request.get_data(), hashlib.sha256).hexdigest()
    if not hmac.compare_digest(request.headers.get("X-Mailer-Signature", ""), expected):
        abort(403)
    db.session.add(Delivery(payload=request.get_data(as_text=True)))
    db.session.commit()
    return "", 204
