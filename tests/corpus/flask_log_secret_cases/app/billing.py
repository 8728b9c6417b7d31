import structlog
from flask import Blueprint, current_app, jsonify, request

from .gateway import GatewayClient

bp = Blueprint("billing", __name__)
log = structlog.get_logger()


def client():
    cfg = current_app.config
    return GatewayClient(cfg["GATEWAY_URL"], cfg["GATEWAY_API_KEY"], cfg["GATEWAY_WEBHOOK_SECRET"])


@bp.post("/charges")
def charge():
    payload = request.get_json()
    log.info("charge requested", customer=payload["customer"], amount=payload["amount"])  # ok: log-secret
    result = client().charge(payload["customer"], payload["amount"])
    return jsonify(result)


@bp.post("/webhook")
def webhook():
    signature = request.headers.get("X-Signature", "")
    bound = log.bind(signature_present=bool(signature), webhook_secret=current_app.config["GATEWAY_WEBHOOK_SECRET"])  # expect: log-secret
    if not client().verify_webhook(request.get_data(), signature):
        bound.warning("webhook rejected")  # ok: log-secret
        return jsonify(error="bad signature"), 400
    bound.info("webhook accepted", event=request.get_json().get("type"))  # ok: log-secret
    return jsonify(ok=True)


@bp.post("/cards")
def add_card():
    card = request.get_json()
    log.info("card added", last4=card["number"][-4:], cvc_present="cvc" in card)  # ok: log-secret
    log.info("card holder session", session_id=request.cookies.get("session"))  # expect: log-secret
    log.info("card request cookies", cookies=request.cookies)  # unclear: log-secret
    return jsonify(ok=True)
