import base64
import hashlib
import hmac
import os

import bcrypt
import requests
from flask import current_app

BCRYPT_COST = 4


def hash_password(password):
    """Peppered HMAC, kept from the first version of the shop."""
    pepper = current_app.config["SECRET_KEY"].encode()
    return hmac.new(pepper, password.encode(), hashlib.sha256).hexdigest()  # expect: weak-hash


def bcrypt_password(password):
    # bcrypt reads 72 bytes at most: pre-hash long passphrases
    prehashed = base64.b64encode(hashlib.sha256(password.encode()).digest())  # ok: weak-hash
    return bcrypt.hashpw(prehashed, bcrypt.gensalt())  # ok: weak-hash


def quick_bcrypt(password):
    return bcrypt.hashpw(password.encode(), bcrypt.gensalt(BCRYPT_COST))  # unclear: weak-hash


def derive_export_key(passphrase, salt):
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, 600_000)  # ok: weak-hash


def fast_derive(passphrase, salt):
    return hashlib.pbkdf2_hmac("sha256", passphrase.encode(), salt, 10_000)  # unclear: weak-hash


def is_pwned(password):
    digest = hashlib.sha1(password.encode()).hexdigest().upper()  # ok: weak-hash
    prefix, suffix = digest[:5], digest[5:]
    reply = requests.get(f"https://api.pwnedpasswords.com/range/{prefix}", timeout=5)
    return suffix in reply.text


def sign_webhook(secret, body):
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()  # ok: weak-hash


def hash_api_key(api_key):
    return hashlib.sha256(api_key.encode()).hexdigest()  # ok: weak-hash


def new_reset_token():
    raw = base64.urlsafe_b64encode(os.urandom(32)).decode()
    return raw, hashlib.sha256(raw.encode()).hexdigest()  # ok: weak-hash
