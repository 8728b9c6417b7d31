"""Client of the payment gateway: the API key and the webhook secret come from the config."""
import hashlib
import hmac

import requests
from loguru import logger


class GatewayClient:
    def __init__(self, base_url, api_key, webhook_secret):
        self.base_url = base_url
        self.api_key = api_key
        self.webhook_secret = webhook_secret
        logger.info("gateway client for {} with key {}", base_url, api_key)  # expect: log-secret
        logger.info("gateway client ready (key ends with {})", api_key[-4:])  # ok: log-secret

    def charge(self, customer_id, amount_cents):
        headers = {"Authorization": f"Bearer {self.api_key}", "Idempotency-Key": customer_id}
        logger.debug("POST /charges headers={}", headers)  # expect: log-secret
        response = requests.post(f"{self.base_url}/charges", json={"customer": customer_id, "amount": amount_cents}, headers=headers, timeout=10)
        logger.debug("charge answered {} for {}", response.status_code, customer_id)  # ok: log-secret
        return response.json()

    def verify_webhook(self, body, signature):
        expected = hmac.new(self.webhook_secret.encode(), body, hashlib.sha256).hexdigest()
        logger.debug("webhook signature {} expected digest computed", signature)  # ok: log-secret
        if not hmac.compare_digest(expected, signature):
            logger.warning("bad webhook signature, secret was " + self.webhook_secret)  # expect: log-secret
            return False
        return True
