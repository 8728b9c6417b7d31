"""Examples of the bandit rules (tests and docs): code -> (VALID cases, INVALID cases), as
keyword arguments of backlint.meta.Valid / Invalid."""
from __future__ import annotations

from typing import Any

from backlint.finding import Confidence

Case = dict[str, Any]
EXAMPLES: dict[str, tuple[tuple[Case, ...], tuple[Case, ...]]] = {
    # -- B1xx: general tests (asserts, exec, permissions, secrets, temp files, errors, timeouts)
    "B101": (
        (
            {
                "code": """
                from django.core.exceptions import PermissionDenied

                def delete_invoice(request, invoice):
                    if not request.user.is_staff:
                        raise PermissionDenied("staff only")
                    invoice.delete()
                """,
                "id": "raise-permission-denied",
                "doc": True,
            },
            {
                "code": """
                from django.test import TestCase

                class InvoiceApiTests(TestCase):
                    def test_list(self):
                        response = self.client.get("/api/invoices/")
                        self.assertEqual(response.status_code, 200)
                """,
                "id": "unittest-assert-method",
                "note": "assertEqual() is a method call, not an `assert` statement",
            },
        ),
        (
            {
                "code": """
                def delete_invoice(request, invoice):
                    assert request.user.is_staff, "staff only"
                    invoice.delete()
                """,
                "id": "assert-guards-permission",
                "at": (2, 5),
                "message": "Use of assert detected",
                "confidence": Confidence.HIGH,
                "doc": True,
            },
            {
                "code": """
                from flask import request

                @app.post("/transfers")
                def create_transfer():
                    amount = int(request.form["amount"])
                    assert 0 < amount <= 10_000
                    assert request.form["currency"] in {"EUR", "USD"}
                    return start_transfer(amount)
                """,
                "id": "assert-validates-form",
                "at": (6, 5),
                "count": 2,
            },
        ),
    ),
    "B102": (
        (
            {
                "code": """
                OPERATIONS = {"refund": refund_order, "cancel": cancel_order}

                def run_operation(name, order):
                    operation = OPERATIONS.get(name)
                    if operation is None:
                        raise ValueError(f"unknown operation {name!r}")
                    return operation(order)
                """,
                "id": "dispatch-table",
                "doc": True,
            },
            {
                "code": """
                def order_total(cursor, order_id):
                    cursor.execute("SELECT SUM(price) FROM order_line WHERE order_id = %s", [order_id])
                    return cursor.fetchone()[0]
                """,
                "id": "cursor-execute",
                "note": "cursor.execute() is not the exec() builtin",
            },
        ),
        (
            {
                "code": """
                def apply_discount_rule(order, rule_source):
                    scope = {"order": order}
                    exec(rule_source, scope)
                    return scope["total"]
                """,
                "id": "exec-stored-rule",
                "at": (3, 5),
                "message": "Use of exec detected",
                "doc": True,
            },
            {
                "code": """
                from flask import request

                @app.post("/calc")
                def calc():
                    scope = {}
                    exec(f"result = {request.json['expression']}", {}, scope)
                    return {"result": scope["result"]}
                """,
                "id": "exec-request-expression",
                "at": (6, 5),
            },
        ),
    ),
    "B103": (
        (
            {
                "code": """
                import os

                def save_private_key(path, pem):
                    with open(path, "wb") as fh:
                        fh.write(pem)
                    os.chmod(path, 0o600)
                """,
                "id": "owner-only-file",
                "doc": True,
            },
            {
                "code": """
                import os

                def make_upload_dir(path):
                    os.makedirs(path, exist_ok=True)
                    os.chmod(path, 0o700)
                """,
                "id": "owner-only-folder",
            },
        ),
        (
            {
                "code": """
                import os

                def store_upload(upload, path):
                    with open(path, "wb") as fh:
                        fh.write(upload.read())
                    os.chmod(path, 0o777)
                """,
                "id": "world-writable-upload",
                "at": (6, 5),
                "message": "0o777",
                "doc": True,
            },
            {
                "code": """
                import os
                from django.conf import settings

                os.chmod(settings.MEDIA_ROOT, 0o775)
                """,
                "id": "group-writable-media-root",
                "at": (4, 1),
                "message": "0o775",
            },
        ),
    ),
    "B104": (
        (
            {
                "code": """
                import os

                if __name__ == "__main__":
                    app.run(host=os.environ.get("BIND_HOST", "127.0.0.1"), port=8000)
                """,
                "id": "host-from-config",
                "doc": True,
            },
            {
                "code": """
                BLOCKED_NETWORKS = ["0.0.0.0/8", "169.254.0.0/16"]

                def is_blocked(address):
                    return any(address in network for network in BLOCKED_NETWORKS)
                """,
                "id": "network-range-not-bind-address",
                "note": "a CIDR range that starts with 0.0.0.0 is not the bind-all address",
            },
        ),
        (
            {
                "code": """
                import uvicorn

                if __name__ == "__main__":
                    uvicorn.run("app.main:app", host="0.0.0.0", port=8000)
                """,
                "id": "uvicorn-bind-all",
                "at": (4, 38),
                "message": "binding to all interfaces",
                "doc": True,
            },
            {
                "code": """
                import socket

                sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                sock.bind(("0.0.0.0", 9000))
                sock.listen(5)
                """,
                "id": "socket-bind-all",
                "at": (4, 12),
            },
        ),
    ),
    "B105": (
        (
            {
                "code": """
                import os

                DEBUG = False
                SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
                """,
                "id": "secret-key-from-env",
                "doc": True,
            },
            {
                "code": """
                AUTH_PASSWORD_VALIDATORS = [
                    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
                    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
                ]
                PASSWORD_RESET_TIMEOUT = 3600
                """,
                "id": "password-settings-not-secrets",
                "note": "names about passwords whose values are not secrets",
            },
        ),
        (
            {
                "code": """
                DEBUG = False
                SECRET_KEY = "django-insecure-7f#k2@x!9qv"
                """,
                "id": "django-secret-key-literal",
                "at": (2, 14),
                "message": "Possible hardcoded password",
                "confidence": Confidence.MEDIUM,
                "doc": True,
            },
            {
                "code": """
                DATABASES = {
                    "default": {
                        "ENGINE": "django.db.backends.postgresql",
                        "NAME": "shop",
                        "USER": "shop",
                        "PASSWORD": "s3cr3t-db-pass",
                    }
                }
                """,
                "id": "database-password-in-settings",
                "at": (6, 9),
                "message": "s3cr3t-db-pass",
            },
            {
                "code": """
                def check_webhook(request):
                    token = request.headers.get("X-Hook-Token")
                    if token == "hook-4d1f9a":
                        return process(request)
                """,
                "id": "compare-with-literal-token",
                "at": (3, 17),
            },
        ),
    ),
    "B106": (
        (
            {
                "code": """
                import os
                import psycopg2

                conn = psycopg2.connect(host="db", user="shop", password=os.environ["PGPASSWORD"])
                """,
                "id": "password-from-env",
                "doc": True,
            },
            {
                "code": """
                def create_sso_user(email):
                    user = User.objects.create_user(username=email, email=email, password=None)
                    user.set_unusable_password()
                    return user
                """,
                "id": "password-none",
                "note": "None is not a hard-coded password",
            },
        ),
        (
            {
                "code": """
                import psycopg2

                conn = psycopg2.connect(host="db", user="shop", password="hunter2")
                """,
                "id": "connect-with-literal-password",
                "at": (3, 8),
                "message": "hunter2",
                "doc": True,
            },
            {
                "code": """
                import redis

                cache = redis.Redis(host="cache", port=6379, password="changeme")
                """,
                "id": "redis-literal-password",
                "at": (3, 9),
            },
        ),
    ),
    "B107": (
        (
            {
                "code": """
                import os

                def connect_db(host="localhost", password=None):
                    password = password or os.environ["DB_PASSWORD"]
                    return psycopg2.connect(host=host, password=password)
                """,
                "id": "default-none-read-env",
                "doc": True,
            },
            {
                "code": """
                def login(request, username, password):
                    user = authenticate(request, username=username, password=password)
                    return user is not None
                """,
                "id": "password-parameter-without-default",
            },
        ),
        (
            {
                "code": """
                def connect_db(host="localhost", password="postgres"):
                    return psycopg2.connect(host=host, password=password)
                """,
                "id": "literal-password-default",
                "at": (1, 1),
                "message": "postgres",
                "doc": True,
            },
            {
                "code": """
                class PaymentClient:
                    def __init__(self, base_url, api_token="sk_test_51Hx"):
                        self.base_url = base_url
                        self.api_token = api_token
                """,
                "id": "literal-token-default-in-init",
                "at": (2, 5),
            },
        ),
    ),
    "B108": (
        (
            {
                "code": """
                import tempfile

                def export_report(rows):
                    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
                        write_csv(fh, rows)
                    return fh.name
                """,
                "id": "named-temporary-file",
                "doc": True,
            },
            {
                "code": """
                from pathlib import Path

                BASE_DIR = Path(__file__).resolve().parent.parent
                SCRATCH_DIR = BASE_DIR / "var/tmp"
                """,
                "id": "project-relative-tmp",
                "note": "a path inside the project, not the shared /var/tmp",
            },
        ),
        (
            {
                "code": """
                def export_report(rows):
                    path = "/tmp/report.csv"
                    with open(path, "w") as fh:
                        write_csv(fh, rows)
                    return path
                """,
                "id": "fixed-file-in-tmp",
                "at": (2, 12),
                "message": "temp file",
                "doc": True,
            },
            {
                "code": """
                FILE_UPLOAD_TEMP_DIR = "/var/tmp/uploads"
                CELERY_RESULT_PATH = "/dev/shm/celery"
                """,
                "id": "settings-shared-folders",
                "at": (1, 24),
                "count": 2,
            },
        ),
    ),
    "B110": (
        (
            {
                "code": """
                import logging

                logger = logging.getLogger(__name__)

                def send_welcome_email(user):
                    try:
                        mailer.send(user.email, "Welcome!")
                    except Exception:
                        logger.exception("welcome email to %s failed", user.pk)
                """,
                "id": "log-the-error",
                "doc": True,
            },
            {
                "code": """
                def cached_profile(cache, user_id):
                    try:
                        return cache[user_id]
                    except KeyError:
                        pass
                    return load_profile(user_id)
                """,
                "id": "expected-exception-pass",
                "note": "bandit only reports a bare except or `except Exception`",
            },
        ),
        (
            {
                "code": """
                def send_welcome_email(user):
                    try:
                        mailer.send(user.email, "Welcome!")
                    except Exception:
                        pass
                """,
                "id": "except-exception-pass",
                "at": (4, 5),
                "message": "Try, Except, Pass",
                "doc": True,
            },
            {
                "code": """
                def close_connections(connections):
                    for conn in connections:
                        try:
                            conn.close()
                        except:
                            pass
                """,
                "id": "bare-except-pass",
                "at": (5, 9),
            },
        ),
    ),
    "B112": (
        (
            {
                "code": """
                def import_rows(rows):
                    for row in rows:
                        try:
                            Customer.objects.create(**row)
                        except Exception:
                            logger.exception("skipping row %r", row)
                            continue
                """,
                "id": "log-and-continue",
                "doc": True,
            },
            {
                "code": """
                def parse_ids(values):
                    ids = []
                    for value in values:
                        try:
                            ids.append(int(value))
                        except ValueError:
                            continue
                    return ids
                """,
                "id": "expected-exception-continue",
            },
        ),
        (
            {
                "code": """
                def import_rows(rows):
                    for row in rows:
                        try:
                            Customer.objects.create(**row)
                        except Exception:
                            continue
                """,
                "id": "except-exception-continue",
                "at": (5, 9),
                "message": "Try, Except, Continue",
                "doc": True,
            },
            {
                "code": """
                def notify_all(webhooks, payload):
                    for hook in webhooks:
                        try:
                            hook.deliver(payload)
                        except:
                            continue
                """,
                "id": "bare-except-continue",
                "at": (5, 9),
            },
        ),
    ),
    "B113": (
        (
            {
                "code": """
                import requests

                def fetch_rates():
                    response = requests.get("https://api.example.com/rates", timeout=10)
                    response.raise_for_status()
                    return response.json()
                """,
                "id": "requests-with-timeout",
                "doc": True,
            },
            {
                "code": """
                import httpx

                def fetch_rates():
                    return httpx.get("https://api.example.com/rates").json()
                """,
                "id": "httpx-default-timeout",
                "note": "httpx applies a 5 second timeout unless told otherwise",
            },
        ),
        (
            {
                "code": """
                import requests

                def fetch_rates():
                    response = requests.get("https://api.example.com/rates")
                    response.raise_for_status()
                    return response.json()
                """,
                "id": "requests-get-no-timeout",
                "at": (4, 16),
                "message": "without timeout",
                "confidence": Confidence.LOW,
                "doc": True,
            },
            {
                "code": """
                import httpx

                def notify(url, payload):
                    httpx.post(url, json=payload, timeout=None)
                """,
                "id": "httpx-timeout-none",
                "at": (4, 5),
                "message": "timeout set to None",
            },
        ),
    ),
    # -- B2xx: application frameworks and archives
    "B201": (
        (
            {
                "code": """
                import os
                from flask import Flask

                app = Flask(__name__)

                if __name__ == "__main__":
                    app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
                """,
                "id": "debug-from-environment",
                "doc": True,
            },
            {
                "code": """
                from flask import Flask

                app = Flask(__name__)
                app.config.from_prefixed_env()

                if __name__ == "__main__":
                    app.run(debug=False)
                """,
                "id": "debug-false",
            },
        ),
        (
            {
                "code": """
                from flask import Flask

                app = Flask(__name__)

                if __name__ == "__main__":
                    app.run(debug=True)
                """,
                "id": "flask-run-debug-true",
                "at": (6, 5),
                "message": "debug=True",
                "doc": True,
            },
            {
                "code": """
                from flask import Flask

                app = Flask(__name__)
                app.run(host="127.0.0.1", port=5000, debug=True)
                """,
                "id": "flask-run-module-level",
                "at": (4, 1),
            },
        ),
    ),
    "B202": (
        (
            {
                "code": """
                import tarfile

                def restore_backup(upload, dest):
                    with tarfile.open(fileobj=upload) as archive:
                        archive.extractall(dest, filter="data")
                """,
                "id": "data-filter",
                "doc": True,
            },
            {
                "code": """
                import zipfile

                def unpack_theme(upload, dest):
                    with zipfile.ZipFile(upload) as archive:
                        archive.extractall(dest)
                """,
                "id": "zipfile-extractall",
                "note": "zipfile strips absolute paths and `..` from member names itself",
            },
        ),
        (
            {
                "code": """
                import tarfile

                def restore_backup(upload, dest):
                    with tarfile.open(fileobj=upload) as archive:
                        archive.extractall(dest)
                """,
                "id": "extractall-without-filter",
                "at": (5, 9),
                "message": "without any validation",
                "confidence": Confidence.HIGH,
                "doc": True,
            },
            {
                "code": """
                import tarfile

                def restore_backup(upload, dest):
                    with tarfile.open(fileobj=upload) as archive:
                        archive.extractall(dest, members=safe_members(archive))
                """,
                "id": "extractall-members-function",
                "at": (5, 9),
                "message": "properly discards dangerous members",
                "confidence": Confidence.LOW,
            },
        ),
    ),
    # -- B3xx: blacklisted calls, matched by qualified name through the file's imports
    "B301": (
        (
            {
                "code": """
                import json

                def load_cart(request):
                    return json.loads(request.COOKIES.get("cart", "[]"))
                """,
                "id": "json-loads",
                "doc": True,
            },
            {
                "code": """
                import pickle

                def cache_report(cache, key, report):
                    cache.set(key, pickle.dumps(report))
                """,
                "id": "pickle-dumps-only",
                "note": "writing a pickle runs nothing; reading one does",
            },
        ),
        (
            {
                "code": """
                import pickle

                def load_cart(request):
                    return pickle.loads(request.body)
                """,
                "id": "pickle-loads-request-body",
                "at": (4, 12),
                "message": "Pickle",
                "confidence": Confidence.HIGH,
                "doc": True,
            },
            {
                "code": """
                import pandas as pd

                def import_prices(upload):
                    frame = pd.read_pickle(upload)
                    return frame.to_dict("records")
                """,
                "id": "pandas-read-pickle-alias",
                "at": (4, 13),
            },
        ),
    ),
    "B302": (
        (
            {
                "code": """
                import json

                def restore_session(blob):
                    return json.loads(blob)
                """,
                "id": "json-instead-of-marshal",
                "doc": True,
            },
            {
                "code": """
                import marshal

                def snapshot(state):
                    return marshal.dumps(state)
                """,
                "id": "marshal-dumps-only",
            },
        ),
        (
            {
                "code": """
                import marshal

                def restore_session(blob):
                    return marshal.loads(blob)
                """,
                "id": "marshal-loads",
                "at": (4, 12),
                "message": "Deserialization with the marshal module",
                "doc": True,
            },
            {
                "code": """
                import marshal

                def restore_session(path):
                    with open(path, "rb") as fh:
                        return marshal.load(fh)
                """,
                "id": "marshal-load-file",
                "at": (5, 16),
            },
        ),
    ),
    "B303": (
        (
            {
                "code": """
                from cryptography.hazmat.primitives import hashes

                def fingerprint(der_bytes):
                    digest = hashes.Hash(hashes.SHA256())
                    digest.update(der_bytes)
                    return digest.finalize().hex()
                """,
                "id": "cryptography-sha256",
                "doc": True,
            },
            {
                "code": """
                from Cryptodome.Hash import SHA256

                def sign_payload(payload):
                    return SHA256.new(payload).hexdigest()
                """,
                "id": "pycryptodome-sha256",
            },
        ),
        (
            {
                "code": """
                from cryptography.hazmat.primitives import hashes

                def fingerprint(der_bytes):
                    digest = hashes.Hash(hashes.SHA1())
                    digest.update(der_bytes)
                    return digest.finalize().hex()
                """,
                "id": "cryptography-sha1",
                "at": (4, 26),
                "message": "insecure MD2, MD4, MD5, or SHA1",
                "doc": True,
            },
            {
                "code": """
                from Crypto.Hash import MD5

                def etag(body):
                    return MD5.new(body).hexdigest()
                """,
                "id": "pycrypto-md5",
                "at": (4, 12),
            },
        ),
    ),
    "B304": (
        (
            {
                "code": """
                import os
                from cryptography.hazmat.primitives.ciphers.aead import AESGCM

                def encrypt_token(key, token):
                    nonce = os.urandom(12)
                    return nonce + AESGCM(key).encrypt(nonce, token, None)
                """,
                "id": "aes-gcm",
                "doc": True,
            },
            {
                "code": """
                from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

                def encryptor(key, nonce):
                    return Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
                """,
                "id": "cryptography-aes",
            },
        ),
        (
            {
                "code": """
                from Crypto.Cipher import DES

                def encrypt_card(key, number):
                    cipher = DES.new(key, DES.MODE_ECB)
                    return cipher.encrypt(number)
                """,
                "id": "pycrypto-des",
                "at": (4, 14),
                "message": "insecure cipher",
                "doc": True,
            },
            {
                "code": """
                from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

                def encryptor(key, iv):
                    return Cipher(algorithms.TripleDES(key), modes.CBC(iv)).encryptor()
                """,
                "id": "cryptography-triple-des",
                "at": (4, 19),
            },
        ),
    ),
    "B305": (
        (
            {
                "code": """
                from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

                def encryptor(key, nonce):
                    return Cipher(algorithms.AES(key), modes.GCM(nonce)).encryptor()
                """,
                "id": "gcm-mode",
                "doc": True,
            },
            {
                "code": """
                from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

                def encryptor(key, iv):
                    return Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
                """,
                "id": "cbc-mode",
            },
        ),
        (
            {
                "code": """
                from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

                def encryptor(key):
                    return Cipher(algorithms.AES(key), modes.ECB()).encryptor()
                """,
                "id": "ecb-mode",
                "at": (4, 40),
                "message": "ECB",
                "doc": True,
            },
            {
                "code": """
                from cryptography.hazmat.primitives.ciphers import Cipher, algorithms
                from cryptography.hazmat.primitives.ciphers.modes import ECB

                cipher = Cipher(algorithms.AES(SECRET), ECB())
                """,
                "id": "ecb-imported-by-name",
                "at": (4, 41),
            },
        ),
    ),
    "B306": (
        (
            {
                "code": """
                import os
                import tempfile

                def export_csv(rows):
                    fd, path = tempfile.mkstemp(suffix=".csv")
                    with os.fdopen(fd, "w") as fh:
                        write_csv(fh, rows)
                    return path
                """,
                "id": "mkstemp",
                "doc": True,
            },
            {
                "code": """
                import tempfile

                def export_csv(rows):
                    with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False) as fh:
                        write_csv(fh, rows)
                    return fh.name
                """,
                "id": "named-temporary-file",
            },
        ),
        (
            {
                "code": """
                import tempfile

                def export_csv(rows):
                    path = tempfile.mktemp(suffix=".csv")
                    with open(path, "w") as fh:
                        write_csv(fh, rows)
                    return path
                """,
                "id": "mktemp-then-open",
                "at": (4, 12),
                "message": "insecure and deprecated function (mktemp)",
                "doc": True,
            },
            {
                "code": """
                from tempfile import mktemp

                SOCKET_PATH = mktemp(prefix="worker-")
                """,
                "id": "mktemp-imported-by-name",
                "at": (3, 15),
            },
        ),
    ),
    "B307": (
        (
            {
                "code": """
                import ast
                from flask import request

                @app.post("/filters")
                def save_filter():
                    ids = ast.literal_eval(request.form["ids"])
                    return {"ids": list(ids)}
                """,
                "id": "literal-eval",
                "doc": True,
            },
            {
                "code": """
                import torch

                def predict(model, batch):
                    model.eval()
                    with torch.no_grad():
                        return model(batch)
                """,
                "id": "model-eval-method",
                "note": "a method named eval is not the eval() builtin",
            },
        ),
        (
            {
                "code": """
                from flask import request

                @app.post("/filters")
                def save_filter():
                    ids = eval(request.form["ids"])
                    return {"ids": list(ids)}
                """,
                "id": "eval-form-field",
                "at": (5, 11),
                "message": "Use of possibly insecure function",
                "doc": True,
            },
            {
                "code": """
                def price_with_tax(order, formula):
                    return eval(formula, {"__builtins__": {}}, {"price": order.price})
                """,
                "id": "eval-without-builtins",
                "at": (2, 12),
                "note": "emptying __builtins__ does not make eval safe",
            },
        ),
    ),
    "B308": (
        (
            {
                "code": """
                from django.utils.html import format_html

                def badge(user):
                    return format_html("<span class='badge'>{}</span>", user.username)
                """,
                "id": "format-html",
                "doc": True,
            },
            {
                "code": """
                from django.utils.html import escape

                def greeting(user):
                    return "Hello " + escape(user.first_name)
                """,
                "id": "escape",
            },
            {
                "code": """
                from django.utils import safestring

                SEPARATOR = safestring.mark_safe("<hr>")
                """,
                "id": "mark-safe-literal",
            },
        ),
        (
            {
                "code": """
                from django.utils.safestring import mark_safe

                def badge(user):
                    return mark_safe(f"<span class='badge'>{user.username}</span>")
                """,
                "id": "mark-safe-f-string",
                "at": (4, 12),
                "message": "mark_safe",
                "doc": True,
            },
            {
                "code": """
                from django.utils import safestring

                SEPARATOR = safestring.mark_safe(settings_separator_html)
                """,
                "id": "mark-safe-module-attribute",
                "at": (3, 13),
                "note": "B308 reports mark_safe() of any value; of a literal the code writes itself, not",
            },
        ),
    ),
    "B310": (
        (
            {
                "code": """
                import requests

                def fetch_avatar(url):
                    response = requests.get(url, timeout=5)
                    response.raise_for_status()
                    return response.content
                """,
                "id": "requests-get",
                "doc": True,
            },
            {
                "code": """
                from urllib.parse import urlparse

                def is_http(url):
                    return urlparse(url).scheme in {"http", "https"}
                """,
                "id": "urlparse",
            },
        ),
        (
            {
                "code": """
                import urllib.request

                def fetch_avatar(url):
                    with urllib.request.urlopen(url) as response:
                        return response.read()
                """,
                "id": "urlopen-user-url",
                "at": (4, 10),
                "message": "Audit url open for permitted schemes",
                "doc": True,
            },
            {
                "code": """
                from urllib.request import urlretrieve

                def download_invoice(url, dest):
                    urlretrieve(url, dest)
                """,
                "id": "urlretrieve-imported-by-name",
                "at": (4, 5),
            },
        ),
    ),
    "B311": (
        (
            {
                "code": """
                import secrets

                def new_reset_token():
                    return secrets.token_urlsafe(32)
                """,
                "id": "secrets-token",
                "doc": True,
            },
            {
                "code": """
                import random

                _rng = random.SystemRandom()

                def one_time_code():
                    return f"{_rng.randrange(1_000_000):06d}"
                """,
                "id": "system-random",
                "note": "SystemRandom draws from os.urandom",
            },
        ),
        (
            {
                "code": """
                import random
                import string

                def new_reset_token():
                    return "".join(random.choice(string.ascii_letters) for _ in range(32))
                """,
                "id": "random-choice-token",
                "at": (5, 20),
                "message": "pseudo-random generators",
                "doc": True,
            },
            {
                "code": """
                import random

                def one_time_code():
                    return str(random.randint(100000, 999999))
                """,
                "id": "random-randint-otp",
                "at": (4, 16),
                "confidence": Confidence.HIGH,
            },
        ),
    ),
    "B312": (
        (
            {
                "code": """
                import paramiko

                def restart_router(host, key_path):
                    client = paramiko.SSHClient()
                    client.load_system_host_keys()
                    client.connect(host, username="ops", key_filename=key_path)
                """,
                "id": "ssh-instead",
                "doc": True,
            },
            {
                "code": """
                import asyncssh

                async def restart_router(host):
                    async with asyncssh.connect(host, username="ops") as conn:
                        await conn.run("reload", check=True)
                """,
                "id": "asyncssh",
            },
        ),
        (
            {
                "code": """
                import telnetlib

                def restart_router(host):
                    tn = telnetlib.Telnet(host, 23, timeout=10)
                    tn.write(b"reload\\n")
                """,
                "id": "telnet-session",
                "at": (4, 10),
                "message": "Telnet",
                "doc": True,
            },
            {
                "code": """
                from telnetlib import Telnet

                with Telnet("10.0.0.1") as tn:
                    tn.read_until(b"login: ")
                """,
                "id": "telnet-imported-by-name",
                "at": (3, 6),
            },
        ),
    ),
    "B313": (
        (
            {
                "code": """
                import defusedxml.cElementTree as ET

                def parse_feed(body):
                    return ET.fromstring(body)
                """,
                "id": "defusedxml",
                "doc": True,
            },
            {
                "code": """
                import defusedxml.ElementTree as ET
                from flask import request

                @app.post("/import")
                def import_orders():
                    root = ET.fromstring(request.data)
                    return {"orders": len(root.findall("order"))}
                """,
                "id": "defusedxml-elementtree",
            },
        ),
        (
            {
                "code": """
                import xml.etree.cElementTree as ET

                def parse_feed(body):
                    return ET.fromstring(body)
                """,
                "id": "celementtree-fromstring",
                "at": (4, 12),
                "message": "XML attacks",
                "doc": True,
            },
            {
                "code": """
                from xml.etree.cElementTree import iterparse

                def count_orders(upload):
                    return sum(1 for _, elem in iterparse(upload) if elem.tag == "order")
                """,
                "id": "celementtree-iterparse",
                "at": (4, 33),
            },
        ),
    ),
    "B314": (
        (
            {
                "code": """
                import defusedxml.ElementTree as ET
                from flask import request

                @app.post("/import")
                def import_orders():
                    root = ET.fromstring(request.data)
                    return {"orders": len(root.findall("order"))}
                """,
                "id": "defusedxml-fromstring",
                "doc": True,
            },
            {
                "code": """
                import xml.etree.ElementTree as ET

                def sitemap(urls):
                    root = ET.Element("urlset")
                    for url in urls:
                        ET.SubElement(root, "url").text = url
                    return ET.tostring(root)
                """,
                "id": "build-xml-only",
                "note": "building XML parses nothing",
            },
        ),
        (
            {
                "code": """
                import xml.etree.ElementTree as ET
                from flask import request

                @app.post("/import")
                def import_orders():
                    root = ET.fromstring(request.data)
                    return {"orders": len(root.findall("order"))}
                """,
                "id": "elementtree-fromstring-request",
                "at": (6, 12),
                "message": "defusedxml",
                "doc": True,
            },
            {
                "code": """
                from xml.etree.ElementTree import parse

                def load_catalog(upload):
                    return parse(upload).getroot()
                """,
                "id": "elementtree-parse",
                "at": (4, 12),
            },
        ),
    ),
    "B315": (
        (
            {
                "code": """
                from defusedxml.expatreader import create_parser

                def make_reader(handler):
                    parser = create_parser()
                    parser.setContentHandler(handler)
                    return parser
                """,
                "id": "defusedxml-expatreader",
                "doc": True,
            },
            {
                "code": """
                import defusedxml.sax

                def parse_upload(upload, handler):
                    defusedxml.sax.parse(upload, handler)
                """,
                "id": "defusedxml-sax",
            },
        ),
        (
            {
                "code": """
                from xml.sax.expatreader import create_parser

                def make_reader(handler):
                    parser = create_parser()
                    parser.setContentHandler(handler)
                    return parser
                """,
                "id": "expatreader-create-parser",
                "at": (4, 14),
                "message": "defusedxml",
                "doc": True,
            },
            {
                "code": """
                import xml.sax.expatreader

                reader = xml.sax.expatreader.create_parser()
                """,
                "id": "expatreader-module-attribute",
                "at": (3, 10),
            },
        ),
    ),
    "B316": (
        (
            {
                "code": """
                from defusedxml import expatbuilder

                def parse_invoice(body):
                    return expatbuilder.parseString(body)
                """,
                "id": "defusedxml-expatbuilder",
                "doc": True,
            },
            {
                "code": """
                import defusedxml.minidom

                def parse_invoice(body):
                    return defusedxml.minidom.parseString(body)
                """,
                "id": "defusedxml-minidom",
            },
        ),
        (
            {
                "code": """
                from xml.dom import expatbuilder

                def parse_invoice(body):
                    return expatbuilder.parseString(body)
                """,
                "id": "expatbuilder-parse-string",
                "at": (4, 12),
                "message": "defusedxml",
                "doc": True,
            },
            {
                "code": """
                import xml.dom.expatbuilder

                def parse_invoice(path):
                    return xml.dom.expatbuilder.parse(path)
                """,
                "id": "expatbuilder-parse-file",
                "at": (4, 12),
            },
        ),
    ),
    "B317": (
        (
            {
                "code": """
                import defusedxml.sax

                def parse_upload(upload, handler):
                    defusedxml.sax.parse(upload, handler)
                """,
                "id": "defusedxml-sax-parse",
                "doc": True,
            },
            {
                "code": """
                from defusedxml.sax import make_parser

                def make_reader(handler):
                    parser = make_parser()
                    parser.setContentHandler(handler)
                    return parser
                """,
                "id": "defusedxml-sax-make-parser",
            },
        ),
        (
            {
                "code": """
                import xml.sax

                def parse_upload(upload, handler):
                    xml.sax.parse(upload, handler)
                """,
                "id": "sax-parse",
                "at": (4, 5),
                "message": "defusedxml",
                "doc": True,
            },
            {
                "code": """
                from xml.sax import parseString

                def parse_body(request, handler):
                    parseString(request.body, handler)
                """,
                "id": "sax-parse-string",
                "at": (4, 5),
            },
        ),
    ),
    "B318": (
        (
            {
                "code": """
                from defusedxml import minidom

                def parse_invoice(body):
                    return minidom.parseString(body)
                """,
                "id": "defusedxml-minidom",
                "doc": True,
            },
            {
                "code": """
                from xml.dom import minidom

                def render_invoice(invoice):
                    doc = minidom.Document()
                    doc.appendChild(doc.createElement("invoice"))
                    return doc.toxml()
                """,
                "id": "build-document-only",
                "note": "creating a document parses nothing",
            },
        ),
        (
            {
                "code": """
                from xml.dom import minidom

                def parse_invoice(body):
                    return minidom.parseString(body)
                """,
                "id": "minidom-parse-string",
                "at": (4, 12),
                "message": "defusedxml",
                "doc": True,
            },
            {
                "code": """
                import xml.dom.minidom

                def parse_invoice(upload):
                    return xml.dom.minidom.parse(upload)
                """,
                "id": "minidom-parse-file",
                "at": (4, 12),
            },
        ),
    ),
    "B319": (
        (
            {
                "code": """
                from defusedxml import pulldom

                def stream_orders(upload):
                    for event, node in pulldom.parse(upload):
                        yield event, node
                """,
                "id": "defusedxml-pulldom",
                "doc": True,
            },
            {
                "code": """
                import defusedxml.pulldom

                def stream_orders(body):
                    return defusedxml.pulldom.parseString(body)
                """,
                "id": "defusedxml-pulldom-string",
            },
        ),
        (
            {
                "code": """
                from xml.dom import pulldom

                def stream_orders(upload):
                    for event, node in pulldom.parse(upload):
                        yield event, node
                """,
                "id": "pulldom-parse",
                "at": (4, 24),
                "message": "defusedxml",
                "doc": True,
            },
            {
                "code": """
                from xml.dom.pulldom import parseString

                def stream_orders(body):
                    return parseString(body)
                """,
                "id": "pulldom-parse-string",
                "at": (4, 12),
            },
        ),
    ),
    "B321": (
        (
            {
                "code": """
                from ftplib import FTP_TLS

                def upload_report(host, user, password, fh):
                    with FTP_TLS(host) as ftp:
                        ftp.login(user, password)
                        ftp.prot_p()
                        ftp.storbinary("STOR report.csv", fh)
                """,
                "id": "ftp-tls",
                "doc": True,
            },
            {
                "code": """
                import paramiko

                def upload_report(transport, local_path):
                    sftp = paramiko.SFTPClient.from_transport(transport)
                    sftp.put(local_path, "/reports/report.csv")
                """,
                "id": "sftp",
            },
        ),
        (
            {
                "code": """
                from ftplib import FTP

                def upload_report(host, user, password, fh):
                    with FTP(host) as ftp:
                        ftp.login(user, password)
                        ftp.storbinary("STOR report.csv", fh)
                """,
                "id": "plain-ftp",
                "at": (4, 10),
                "message": "FTP-related functions",
                "doc": True,
            },
            {
                "code": """
                import ftplib

                ftp = ftplib.FTP("ftp.partner.example", "shop", PARTNER_PASSWORD)
                """,
                "id": "plain-ftp-module-attribute",
                "at": (3, 7),
            },
        ),
    ),
    "B323": (
        (
            {
                "code": """
                import ssl
                import urllib.request

                def fetch(url):
                    context = ssl.create_default_context()
                    return urllib.request.urlopen(url, context=context).read()
                """,
                "id": "default-context",
                "doc": True,
            },
            {
                "code": """
                import ssl

                def partner_context(ca_path):
                    return ssl.create_default_context(cafile=ca_path)
                """,
                "id": "context-with-private-ca",
            },
        ),
        (
            {
                "code": """
                import ssl
                import urllib.request

                def fetch(url):
                    context = ssl._create_unverified_context()
                    return urllib.request.urlopen(url, context=context).read()
                """,
                "id": "unverified-context",
                "at": (5, 15),
                "message": "_create_unverified_context",
                "doc": True,
            },
            {
                "code": """
                import ssl

                ssl._create_default_https_context = ssl._create_unverified_context
                context = ssl._create_unverified_context()
                """,
                "id": "unverified-context-called",
                "at": (4, 11),
                "note": "only the call is reported, not the monkey-patching assignment above it",
            },
        ),
    ),
    "B324": (
        (
            {
                "code": """
                import hashlib

                def file_checksum(data):
                    return hashlib.sha256(data).hexdigest()
                """,
                "id": "sha256",
                "doc": True,
            },
            {
                "code": """
                import hashlib

                def cache_key(url):
                    return hashlib.md5(url.encode(), usedforsecurity=False).hexdigest()
                """,
                "id": "md5-not-for-security",
                "note": "a cache key protects nothing: usedforsecurity=False says so",
            },
        ),
        (
            {
                "code": """
                import hashlib

                def hash_api_key(key):
                    return hashlib.md5(key.encode()).hexdigest()
                """,
                "id": "md5-for-api-key",
                "at": (4, 12),
                "message": "weak MD5 hash",
                "confidence": Confidence.HIGH,
                "doc": True,
            },
            {
                "code": """
                import hashlib

                def sign(payload):
                    return hashlib.new("sha1", payload).hexdigest()
                """,
                "id": "new-sha1",
                "at": (4, 12),
                "message": "weak SHA1 hash",
            },
        ),
    ),
    # -- B4xx: blacklisted imports (the import statement itself is reported)
    "B401": (
        (
            {
                "code": """
                import paramiko

                def open_console(host):
                    client = paramiko.SSHClient()
                    client.load_system_host_keys()
                    client.connect(host, username="ops")
                    return client
                """,
                "id": "ssh-client",
                "doc": True,
            },
            {
                "code": """
                import asyncssh

                async def open_console(host):
                    return await asyncssh.connect(host, username="ops")
                """,
                "id": "asyncssh",
            },
        ),
        (
            {
                "code": """
                import telnetlib

                def open_console(host):
                    return telnetlib.Telnet(host, 23, timeout=10)
                """,
                "id": "import-telnetlib",
                "at": (1, 1),
                "message": "telnet-related module",
                "doc": True,
            },
            {
                "code": """
                import logging
                from telnetlib import Telnet

                logger = logging.getLogger(__name__)
                """,
                "id": "from-telnetlib-import",
                "at": (2, 1),
            },
        ),
    ),
    "B402": (
        (
            {
                "code": """
                import paramiko

                def upload_report(transport, local_path):
                    sftp = paramiko.SFTPClient.from_transport(transport)
                    sftp.put(local_path, "/reports/report.csv")
                """,
                "id": "sftp",
                "doc": True,
            },
            {
                "code": """
                import boto3

                def upload_report(local_path):
                    boto3.client("s3").upload_file(local_path, "reports", "report.csv")
                """,
                "id": "object-storage",
            },
        ),
        (
            {
                "code": """
                from ftplib import FTP

                def upload_report(host, fh):
                    with FTP(host) as ftp:
                        ftp.storbinary("STOR report.csv", fh)
                """,
                "id": "from-ftplib-import-ftp",
                "at": (1, 1),
                "message": "FTP-related module",
                "doc": True,
            },
            {
                "code": """
                import ftplib

                def upload_report(host, fh):
                    with ftplib.FTP_TLS(host) as ftp:
                        ftp.prot_p()
                        ftp.storbinary("STOR report.csv", fh)
                """,
                "id": "import-ftplib-even-for-tls",
                "at": (1, 1),
                "note": "the import is reported whatever ftplib is used for, FTP_TLS included",
            },
        ),
    ),
    "B403": (
        (
            {
                "code": """
                import json

                def save_cart(response, cart):
                    response.set_cookie("cart", json.dumps(cart))
                """,
                "id": "json",
                "doc": True,
            },
            {
                "code": """
                from django.core import signing

                def save_cart(response, cart):
                    response.set_cookie("cart", signing.dumps(cart))
                """,
                "id": "django-signing",
            },
        ),
        (
            {
                "code": """
                import pickle

                def load_cart(request):
                    return pickle.loads(request.COOKIES["cart"])
                """,
                "id": "import-pickle",
                "at": (1, 1),
                "message": "pickle",
                "confidence": Confidence.HIGH,
                "doc": True,
            },
            {
                "code": """
                import json
                import shelve

                SESSIONS = shelve.open("sessions.db")
                """,
                "id": "import-shelve",
                "at": (2, 1),
            },
        ),
    ),
    "B404": (
        (
            {
                "code": """
                import shutil

                def archive_logs(log_dir, dest):
                    return shutil.make_archive(dest, "gztar", root_dir=log_dir)
                """,
                "id": "library-instead-of-process",
                "doc": True,
            },
            {
                "code": """
                from asyncio import create_subprocess_exec

                async def thumbnail(src, dst):
                    proc = await create_subprocess_exec("/usr/bin/convert", src, "-resize", "200x200", dst)
                    return await proc.wait()
                """,
                "id": "asyncio-subprocess",
                "note": "B404 names the subprocess module only (asyncio's API still needs checked arguments)",
            },
        ),
        (
            {
                "code": """
                import subprocess

                def archive_logs(log_dir, dest):
                    subprocess.run(["tar", "czf", dest, log_dir], check=True)
                """,
                "id": "import-subprocess",
                "at": (1, 1),
                "message": "subprocess",
                "doc": True,
            },
            {
                "code": """
                import importlib

                runner = importlib.import_module("subprocess")
                """,
                "id": "import-module-subprocess",
                "at": (3, 10),
                "note": "importlib.import_module() of a literal name counts as an import",
            },
        ),
    ),
    "B405": (
        (
            {
                "code": """
                import defusedxml.ElementTree as ET

                def parse_feed(body):
                    return ET.fromstring(body)
                """,
                "id": "defusedxml",
                "doc": True,
            },
            {
                "code": """
                import lxml.etree

                def sitemap(urls):
                    root = lxml.etree.Element("urlset")
                    return lxml.etree.tostring(root)
                """,
                "id": "lxml-build-only",
            },
        ),
        (
            {
                "code": """
                import xml.etree.ElementTree as ET

                def parse_feed(body):
                    return ET.fromstring(body)
                """,
                "id": "import-elementtree",
                "at": (1, 1),
                "message": "xml.etree.ElementTree",
                "doc": True,
            },
            {
                "code": """
                from django.http import HttpResponse
                from xml.etree import ElementTree

                def feed(request):
                    return HttpResponse(ElementTree.tostring(build_feed()), content_type="application/xml")
                """,
                "id": "from-xml-etree-import",
                "at": (2, 1),
            },
        ),
    ),
    "B406": (
        (
            {
                "code": """
                import defusedxml.sax

                def parse_upload(upload, handler):
                    defusedxml.sax.parse(upload, handler)
                """,
                "id": "defusedxml-sax",
                "doc": True,
            },
            {
                "code": """
                from defusedxml.sax import make_parser

                def make_reader(handler):
                    parser = make_parser()
                    parser.setContentHandler(handler)
                    return parser
                """,
                "id": "defusedxml-make-parser",
            },
        ),
        (
            {
                "code": """
                import xml.sax

                def parse_upload(upload, handler):
                    xml.sax.parse(upload, handler)
                """,
                "id": "import-xml-sax",
                "at": (1, 1),
                "message": "xml.sax",
                "doc": True,
            },
            {
                "code": """
                from xml.sax.handler import ContentHandler

                class OrderHandler(ContentHandler):
                    def startElement(self, name, attrs):
                        self.current = name
                """,
                "id": "from-xml-sax-handler",
                "at": (1, 1),
            },
        ),
    ),
    "B407": (
        (
            {
                "code": """
                from defusedxml import expatbuilder

                def parse_invoice(body):
                    return expatbuilder.parseString(body)
                """,
                "id": "defusedxml-expatbuilder",
                "doc": True,
            },
            {
                "code": """
                from defusedxml import minidom

                def parse_invoice(body):
                    return minidom.parseString(body)
                """,
                "id": "defusedxml-minidom",
            },
        ),
        (
            {
                "code": """
                from xml.dom import expatbuilder

                def parse_invoice(body):
                    return expatbuilder.parseString(body)
                """,
                "id": "from-xml-dom-import-expatbuilder",
                "at": (1, 1),
                "message": "expatbuilder",
                "doc": True,
            },
            {
                "code": """
                import logging
                import xml.dom.expatbuilder
                """,
                "id": "import-xml-dom-expatbuilder",
                "at": (2, 1),
            },
        ),
    ),
    "B408": (
        (
            {
                "code": """
                from defusedxml import minidom

                def parse_invoice(body):
                    return minidom.parseString(body)
                """,
                "id": "defusedxml-minidom",
                "doc": True,
            },
            {
                "code": """
                import defusedxml.minidom

                def parse_invoice(upload):
                    return defusedxml.minidom.parse(upload)
                """,
                "id": "import-defusedxml-minidom",
            },
        ),
        (
            {
                "code": """
                from xml.dom import minidom

                def parse_invoice(body):
                    return minidom.parseString(body)
                """,
                "id": "from-xml-dom-import-minidom",
                "at": (1, 1),
                "message": "minidom",
                "doc": True,
            },
            {
                "code": """
                import json
                import xml.dom.minidom as minidom
                """,
                "id": "import-xml-dom-minidom-as",
                "at": (2, 1),
            },
        ),
    ),
    "B409": (
        (
            {
                "code": """
                from defusedxml import pulldom

                def stream_orders(upload):
                    return pulldom.parse(upload)
                """,
                "id": "defusedxml-pulldom",
                "doc": True,
            },
            {
                "code": """
                import defusedxml.pulldom

                def stream_orders(body):
                    return defusedxml.pulldom.parseString(body)
                """,
                "id": "import-defusedxml-pulldom",
            },
        ),
        (
            {
                "code": """
                from xml.dom import pulldom

                def stream_orders(upload):
                    return pulldom.parse(upload)
                """,
                "id": "from-xml-dom-import-pulldom",
                "at": (1, 1),
                "message": "pulldom",
                "doc": True,
            },
            {
                "code": """
                import os
                from xml.dom.pulldom import START_ELEMENT, parse
                """,
                "id": "from-pulldom-import-names",
                "at": (2, 1),
            },
        ),
    ),
    "B411": (
        (
            {
                "code": """
                from defusedxml.xmlrpc import monkey_patch

                monkey_patch()
                """,
                "id": "defusedxml-monkey-patch",
                "doc": True,
            },
            {
                "code": """
                import requests

                def call_partner(method, params):
                    payload = {"jsonrpc": "2.0", "method": method, "params": params, "id": 1}
                    return requests.post(PARTNER_URL, json=payload, timeout=10).json()
                """,
                "id": "json-rpc",
            },
        ),
        (
            {
                "code": """
                import xmlrpc.client

                def call_partner(url):
                    return xmlrpc.client.ServerProxy(url).orders.list()
                """,
                "id": "import-xmlrpc-client",
                "at": (1, 1),
                "message": "xmlrpc",
                "doc": True,
            },
            {
                "code": """
                import logging
                from xmlrpc.server import SimpleXMLRPCServer

                server = SimpleXMLRPCServer(("127.0.0.1", 8000))
                """,
                "id": "from-xmlrpc-server-import",
                "at": (2, 1),
            },
        ),
    ),
    "B412": (
        (
            {
                "code": """
                from wsgiref.simple_server import make_server

                if __name__ == "__main__":
                    make_server("127.0.0.1", 8000, application).serve_forever()
                """,
                "id": "wsgi-server",
                "doc": True,
            },
            {
                "code": """
                from wsgiref.handlers import SimpleHandler

                def serve(stdin, stdout, stderr, environ):
                    SimpleHandler(stdin, stdout, stderr, environ).run(application)
                """,
                "id": "simple-handler",
                "note": "only the CGI handlers read HTTP_PROXY from a request header",
            },
        ),
        (
            {
                "code": """
                from wsgiref.handlers import CGIHandler

                if __name__ == "__main__":
                    CGIHandler().run(application)
                """,
                "id": "from-wsgiref-import-cgi-handler",
                "at": (1, 1),
                "message": "CGIHandler",
                "count": 2,
                "doc": True,
                "note": "both the import and the handler's construction are reported",
            },
            {
                "code": """
                import wsgiref.handlers

                wsgiref.handlers.CGIHandler().run(application)
                """,
                "id": "cgi-handler-called",
                "at": (3, 1),
                "note": "the import names only the module: the call is reported",
            },
        ),
    ),
    "B413": (
        (
            {
                "code": """
                from cryptography.hazmat.primitives.ciphers.aead import AESGCM

                def encrypt(key, nonce, data):
                    return AESGCM(key).encrypt(nonce, data, None)
                """,
                "id": "cryptography-aead",
                "doc": True,
            },
            {
                "code": """
                from Cryptodome.Cipher import AES

                def encrypt(key, data):
                    return AES.new(key, AES.MODE_GCM).encrypt_and_digest(data)
                """,
                "id": "pycryptodomex",
                "note": "pycryptodomex installs as Cryptodome, not as pycrypto's Crypto",
            },
        ),
        (
            {
                "code": """
                from Crypto.Cipher import AES

                def encrypt(key, data):
                    return AES.new(key, AES.MODE_GCM).encrypt_and_digest(data)
                """,
                "id": "from-crypto-cipher-import",
                "at": (1, 1),
                "message": "pyCrypto",
                "doc": True,
            },
            {
                "code": """
                import os
                from Crypto.Random import get_random_bytes

                SESSION_KEY = get_random_bytes(32)
                """,
                "id": "from-crypto-random-import",
                "at": (2, 1),
            },
        ),
    ),
    "B415": (
        (
            {
                "code": """
                import redfish

                def power_cycle(host, user, password):
                    client = redfish.redfish_client(f"https://{host}", user, password)
                    client.login(auth="session")
                """,
                "id": "redfish-over-https",
                "doc": True,
            },
            {
                "code": """
                import requests

                def power_state(bmc_url, session):
                    return session.get(f"{bmc_url}/redfish/v1/Systems/1", timeout=10).json()["PowerState"]
                """,
                "id": "redfish-rest",
            },
        ),
        (
            {
                "code": """
                from pyghmi.ipmi import command

                def power_cycle(host, user, password):
                    ipmi = command.Command(bmc=host, userid=user, password=password)
                    ipmi.set_power("boot")
                """,
                "id": "from-pyghmi-import",
                "at": (1, 1),
                "message": "IPMI-related module",
                "doc": True,
            },
            {
                "code": """
                import os
                import pyghmi.ipmi.command
                """,
                "id": "import-pyghmi",
                "at": (2, 1),
            },
        ),
    ),
    # -- B5xx: cryptography and TLS
    "B501": (
        (
            {
                "code": """
                import requests

                def fetch_orders(session_token):
                    headers = {"Authorization": f"Bearer {session_token}"}
                    return requests.get(ORDERS_URL, headers=headers, timeout=10).json()
                """,
                "id": "default-verification",
                "doc": True,
            },
            {
                "code": """
                import requests

                def fetch_partner_orders():
                    return requests.get(PARTNER_URL, verify="/etc/ssl/partner-ca.pem", timeout=10)
                """,
                "id": "verify-private-ca-bundle",
            },
        ),
        (
            {
                "code": """
                import requests

                def fetch_partner_orders():
                    return requests.get(PARTNER_URL, verify=False, timeout=10)
                """,
                "id": "requests-verify-false",
                "at": (4, 12),
                "message": "verify=False",
                "confidence": Confidence.HIGH,
                "doc": True,
            },
            {
                "code": """
                import httpx

                client = httpx.Client(base_url=PARTNER_URL, verify=False, timeout=10)
                """,
                "id": "httpx-client-verify-false",
                "at": (3, 10),
            },
        ),
    ),
    "B502": (
        (
            {
                "code": """
                import ssl

                def client_context():
                    context = ssl.create_default_context()
                    context.minimum_version = ssl.TLSVersion.TLSv1_2
                    return context
                """,
                "id": "default-context-tls12-minimum",
                "doc": True,
            },
            {
                "code": """
                import ssl

                def wrap(sock, host):
                    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
                    context.load_default_certs()
                    return context.wrap_socket(sock, server_hostname=host)
                """,
                "id": "protocol-tls-client",
            },
        ),
        (
            {
                "code": """
                import ssl

                def wrap(sock):
                    return ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_TLSv1)
                """,
                "id": "wrap-socket-tlsv1",
                "at": (4, 12),
                "message": "insecure SSL/TLS protocol version",
                "doc": True,
            },
            {
                "code": """
                from OpenSSL import SSL

                def server_context(cert_path):
                    context = SSL.Context(method=SSL.SSLv23_METHOD)
                    context.use_certificate_file(cert_path)
                    return context
                """,
                "id": "pyopenssl-sslv23",
                "at": (4, 15),
                "confidence": Confidence.MEDIUM,
            },
        ),
    ),
    "B503": (
        (
            {
                "code": """
                import ssl

                def connect(host, port=443, minimum_version=ssl.TLSVersion.TLSv1_2):
                    context = ssl.create_default_context()
                    context.minimum_version = minimum_version
                    return context.wrap_socket(open_socket(host, port), server_hostname=host)
                """,
                "id": "tls12-minimum-default",
                "doc": True,
            },
            {
                "code": """
                import ssl

                def connect(host, port=443, context=None):
                    context = context or ssl.create_default_context()
                    return context.wrap_socket(open_socket(host, port), server_hostname=host)
                """,
                "id": "context-default-none",
            },
        ),
        (
            {
                "code": """
                import ssl

                def connect(host, port=443, ssl_version=ssl.PROTOCOL_TLSv1):
                    context = ssl.SSLContext(ssl_version)
                    return context.wrap_socket(open_socket(host, port))
                """,
                "id": "tlsv1-default",
                "at": (3, 1),
                "message": "insecure SSL/TLS protocol version by default",
                "doc": True,
            },
            {
                "code": """
                from OpenSSL import SSL

                class LegacyGateway:
                    def context(self, method=SSL.SSLv3_METHOD):
                        return SSL.Context(method)
                """,
                "id": "sslv3-default-method",
                "at": (4, 5),
            },
        ),
    ),
    "B504": (
        (
            {
                "code": """
                import ssl

                def wrap(sock, host):
                    context = ssl.create_default_context()
                    return context.wrap_socket(sock, server_hostname=host)
                """,
                "id": "context-wrap-socket",
                "doc": True,
            },
            {
                "code": """
                import ssl

                def wrap(sock, host):
                    return ssl.create_default_context().wrap_socket(sock, server_hostname=host)
                """,
                "id": "chained-context-wrap-socket",
            },
        ),
        (
            {
                "code": """
                import ssl

                def wrap(sock):
                    return ssl.wrap_socket(sock, certfile="client.pem")
                """,
                "id": "wrap-socket-no-version",
                "at": (4, 12),
                "message": "no SSL/TLS protocol version specified",
                "doc": True,
            },
            {
                "code": """
                import socket
                import ssl

                raw = socket.create_connection(("ledger.internal", 8443))
                conn = ssl.wrap_socket(raw)
                """,
                "id": "wrap-socket-module-level",
                "at": (5, 8),
            },
        ),
    ),
    "B505": (
        (
            {
                "code": """
                from cryptography.hazmat.primitives.asymmetric import rsa

                def new_signing_key():
                    return rsa.generate_private_key(public_exponent=65537, key_size=3072)
                """,
                "id": "rsa-3072",
                "doc": True,
            },
            {
                "code": """
                from cryptography.hazmat.primitives.asymmetric import ed25519

                def new_signing_key():
                    return ed25519.Ed25519PrivateKey.generate()
                """,
                "id": "ed25519",
            },
        ),
        (
            {
                "code": """
                from cryptography.hazmat.primitives.asymmetric import rsa

                def new_signing_key():
                    return rsa.generate_private_key(public_exponent=65537, key_size=1024)
                """,
                "id": "rsa-1024",
                "at": (4, 12),
                "message": "RSA key sizes below 2048 bits",
                "doc": True,
            },
            {
                "code": """
                from Crypto.PublicKey import DSA

                SIGNING_KEY = DSA.generate(1024)
                """,
                "id": "pycrypto-dsa-1024",
                "at": (3, 15),
                "message": "DSA key sizes below 2048 bits",
            },
        ),
    ),
    "B506": (
        (
            {
                "code": """
                import yaml
                from flask import request

                @app.post("/config")
                def upload_config():
                    config = yaml.safe_load(request.data)
                    return {"keys": sorted(config)}
                """,
                "id": "safe-load",
                "doc": True,
            },
            {
                "code": """
                import yaml

                def read_settings(path):
                    with open(path) as fh:
                        return yaml.load(fh, Loader=yaml.SafeLoader)
                """,
                "id": "load-with-safe-loader",
            },
        ),
        (
            {
                "code": """
                import yaml
                from flask import request

                @app.post("/config")
                def upload_config():
                    config = yaml.load(request.data)
                    return {"keys": sorted(config)}
                """,
                "id": "load-request-body",
                "at": (6, 14),
                "message": "unsafe yaml load",
                "doc": True,
            },
            {
                "code": """
                import yaml

                def read_settings(path):
                    with open(path) as fh:
                        return yaml.load(fh, Loader=yaml.Loader)
                """,
                "id": "load-with-full-loader",
                "at": (5, 16),
            },
        ),
    ),
    "B507": (
        (
            {
                "code": """
                import paramiko

                def deploy(host):
                    client = paramiko.SSHClient()
                    client.load_system_host_keys()
                    client.set_missing_host_key_policy(paramiko.RejectPolicy())
                    client.connect(host, username="deploy")
                """,
                "id": "reject-policy",
                "doc": True,
            },
            {
                "code": """
                import paramiko

                def deploy(host, known_hosts):
                    client = paramiko.SSHClient()
                    client.load_host_keys(known_hosts)
                    client.connect(host, username="deploy")
                """,
                "id": "known-hosts-file",
            },
        ),
        (
            {
                "code": """
                import paramiko

                def deploy(host):
                    client = paramiko.SSHClient()
                    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
                    client.connect(host, username="deploy")
                """,
                "id": "auto-add-policy",
                "at": (5, 5),
                "message": "automatically trust the unknown host key",
                "doc": True,
            },
            {
                "code": """
                from paramiko import SSHClient, WarningPolicy

                client = SSHClient()
                client.set_missing_host_key_policy(WarningPolicy)
                """,
                "id": "warning-policy-class",
                "at": (4, 1),
            },
        ),
    ),
    "B508": (
        (
            {
                "code": """
                from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol, usmHMACSHAAuthProtocol

                def snmp_user(auth_key, priv_key):
                    return UsmUserData("monitor", auth_key, priv_key,
                                       authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)
                """,
                "id": "snmpv3-user",
                "doc": True,
            },
            {
                "code": """
                from pysnmp.hlapi import UsmUserData

                def snmp_user():
                    return UsmUserData("monitor", SNMP_AUTH_KEY, SNMP_PRIV_KEY)
                """,
                "id": "snmpv3-keys-from-settings",
            },
        ),
        (
            {
                "code": """
                from pysnmp.hlapi import CommunityData

                def snmp_auth():
                    return CommunityData("public", mpModel=0)
                """,
                "id": "snmpv1-community",
                "at": (4, 12),
                "message": "SNMPv1 and SNMPv2 is insecure",
                "doc": True,
            },
            {
                "code": """
                from pysnmp.hlapi import CommunityData

                AUTH = CommunityData("monitoring", mpModel=1)
                """,
                "id": "snmpv2c-community",
                "at": (3, 8),
            },
        ),
    ),
    "B509": (
        (
            {
                "code": """
                from pysnmp.hlapi import UsmUserData, usmAesCfb128Protocol, usmHMACSHAAuthProtocol

                def snmp_user(auth_key, priv_key):
                    return UsmUserData("monitor", auth_key, priv_key,
                                       authProtocol=usmHMACSHAAuthProtocol, privProtocol=usmAesCfb128Protocol)
                """,
                "id": "auth-and-priv",
                "doc": True,
            },
            {
                "code": """
                from pysnmp.hlapi import UsmUserData

                USER = UsmUserData("monitor", SNMP_AUTH_KEY, SNMP_PRIV_KEY)
                """,
                "id": "auth-and-priv-positional",
            },
        ),
        (
            {
                "code": """
                from pysnmp.hlapi import UsmUserData

                def snmp_user():
                    return UsmUserData("monitor")
                """,
                "id": "no-auth-no-priv",
                "at": (4, 12),
                "message": "without encryption",
                "doc": True,
            },
            {
                "code": """
                from pysnmp.hlapi import UsmUserData

                USER = UsmUserData("monitor", SNMP_AUTH_KEY)
                """,
                "id": "auth-no-priv",
                "at": (3, 8),
            },
        ),
    ),
    # -- B6xx: injection (shell, SQL, templates of commands, deserialisation)
    "B601": (
        (
            {
                "code": """
                import paramiko

                def fetch_remote_log(client, remote_path, local_path):
                    sftp = client.open_sftp()
                    try:
                        sftp.get(remote_path, local_path)
                    finally:
                        sftp.close()
                """,
                "id": "sftp-instead-of-shell",
                "doc": True,
            },
            {
                "code": """
                import paramiko

                def upload_release(client, archive):
                    with client.open_sftp() as sftp:
                        sftp.put(archive, "/srv/releases/current.tar.gz")
                """,
                "id": "sftp-put",
            },
        ),
        (
            {
                "code": """
                import paramiko

                def tail_log(client, service):
                    _, stdout, _ = client.exec_command(f"journalctl -u {service} -n 100")
                    return stdout.read().decode()
                """,
                "id": "exec-command-f-string",
                "at": (4, 20),
                "message": "Possible shell injection via Paramiko call",
                "doc": True,
            },
            {
                "code": """
                import paramiko

                def restart(client):
                    client.exec_command("sudo systemctl restart gunicorn")
                """,
                "id": "exec-command-constant",
                "at": (4, 5),
                "note": "every exec_command() is reported: the remote side always runs a shell",
            },
        ),
    ),
    "B602": (
        (
            {
                "code": """
                import subprocess

                def make_thumbnail(src, dst):
                    subprocess.run(["convert", src, "-resize", "200x200", dst], check=True)
                """,
                "id": "argument-list",
                "doc": True,
            },
            {
                "code": """
                import subprocess

                def make_thumbnail(src, dst):
                    subprocess.run(["convert", src, "-resize", "200x200", dst], shell=False, check=True)
                """,
                "id": "shell-false",
            },
        ),
        (
            {
                "code": """
                import subprocess

                def make_thumbnail(src, dst):
                    subprocess.run(f"convert {src} -resize 200x200 {dst}", shell=True, check=True)
                """,
                "id": "shell-true-with-f-string",
                "at": (4, 5),
                "message": "shell=True identified, security issue",
                "confidence": Confidence.HIGH,
                "doc": True,
            },
            {
                "code": """
                import subprocess

                def current_revision():
                    return subprocess.check_output("git rev-parse HEAD", shell=True).decode().strip()
                """,
                "id": "shell-true-with-constant",
                "at": (4, 12),
                "message": "seems safe, but may be changed in the future",
            },
        ),
    ),
    "B603": (
        (
            {
                "code": """
                from PIL import Image

                def make_thumbnail(src, dst):
                    with Image.open(src) as image:
                        image.thumbnail((200, 200))
                        image.save(dst)
                """,
                "id": "library-instead-of-process",
                "doc": True,
            },
            {
                "code": """
                import shutil

                def archive_logs(log_dir, dest):
                    return shutil.make_archive(dest, "gztar", root_dir=log_dir)
                """,
                "id": "shutil-archive",
            },
        ),
        (
            {
                "code": """
                import subprocess

                def make_thumbnail(src, dst):
                    subprocess.run(["/usr/bin/convert", src, "-resize", "200x200", dst], check=True)
                """,
                "id": "subprocess-run-list",
                "at": (4, 5),
                "message": "check for execution of untrusted input",
                "doc": True,
            },
            {
                "code": """
                from subprocess import Popen, PIPE

                def dump_database(name):
                    proc = Popen(["/usr/bin/pg_dump", name], stdout=PIPE)
                    return proc.communicate()[0]
                """,
                "id": "popen-imported-by-name",
                "at": (4, 12),
            },
        ),
    ),
    "B604": (
        (
            {
                "code": """
                def backup_database(db_name, out_path):
                    run_command(["pg_dump", db_name, "--file", out_path])
                """,
                "id": "argument-list",
                "doc": True,
            },
            {
                "code": """
                def backup_database(db_name, out_path):
                    run_command(["pg_dump", db_name, "--file", out_path], shell=False)
                """,
                "id": "shell-false",
            },
        ),
        (
            {
                "code": """
                def backup_database(db_name, out_path):
                    run_command(f"pg_dump {db_name} > {out_path}", shell=True)
                """,
                "id": "wrapper-with-shell-true",
                "at": (2, 5),
                "message": "Function call with shell=True parameter",
                "confidence": Confidence.LOW,
                "doc": True,
            },
            {
                "code": """
                from invoke import task

                @task
                def deploy(c, branch):
                    c.run(f"git checkout {branch}", shell="/bin/bash")
                """,
                "id": "invoke-run-with-shell",
                "at": (5, 5),
            },
        ),
    ),
    "B605": (
        (
            {
                "code": """
                import subprocess

                def backup_database(db_name, out_path):
                    subprocess.run(["pg_dump", db_name, "--file", out_path], check=True)
                """,
                "id": "subprocess-run-list",
                "doc": True,
            },
            {
                "code": """
                import platform

                def server_info():
                    return {"os": platform.system(), "python": platform.python_version()}
                """,
                "id": "platform-system",
                "note": "platform.system() names the OS; it starts no shell",
            },
        ),
        (
            {
                "code": """
                import os

                def backup_database(db_name, out_path):
                    os.system(f"pg_dump {db_name} > {out_path}")
                """,
                "id": "os-system-f-string",
                "at": (4, 5),
                "message": "possible injection detected",
                "doc": True,
            },
            {
                "code": """
                import subprocess

                def disk_usage():
                    return subprocess.getoutput("df -h /srv")
                """,
                "id": "getoutput-constant",
                "at": (4, 12),
                "message": "Seems safe",
            },
        ),
    ),
    "B606": (
        (
            {
                "code": """
                import subprocess

                def reload_workers(pidfile):
                    subprocess.run(["/usr/bin/kill", "-HUP", read_pid(pidfile)], check=True)
                """,
                "id": "subprocess-run",
                "doc": True,
            },
            {
                "code": """
                def set_status(cursor, order_id, status):
                    cursor.execute("UPDATE orders SET status = %s WHERE id = %s", [status, order_id])
                """,
                "id": "cursor-execute",
            },
        ),
        (
            {
                "code": """
                import os

                def start_server():
                    os.execvp("gunicorn", ["gunicorn", "app.wsgi:application", "--workers", "4"])
                """,
                "id": "execvp-replaces-process",
                "at": (4, 5),
                "message": "Starting a process without a shell",
                "doc": True,
            },
            {
                "code": """
                import os

                def make_thumbnail(src, dst):
                    os.spawnlp(os.P_WAIT, "convert", "convert", src, "-resize", "200x200", dst)
                """,
                "id": "spawnlp",
                "at": (4, 5),
                "confidence": Confidence.MEDIUM,
            },
        ),
    ),
    "B607": (
        (
            {
                "code": """
                import shutil
                import subprocess

                GIT = shutil.which("git")

                def pull():
                    subprocess.run([GIT, "pull", "--ff-only"], check=True)
                """,
                "id": "resolved-once",
                "doc": True,
            },
            {
                "code": """
                import subprocess

                def pull():
                    subprocess.run(["/usr/bin/git", "pull", "--ff-only"], check=True)
                """,
                "id": "absolute-path",
            },
        ),
        (
            {
                "code": """
                import subprocess

                def pull():
                    subprocess.run(["git", "pull", "--ff-only"], check=True)
                """,
                "id": "bare-program-name",
                "at": (4, 5),
                "message": "partial executable path",
                "doc": True,
            },
            {
                "code": """
                import os

                def clear_cache():
                    os.system("redis-cli FLUSHDB")
                """,
                "id": "os-system-partial-path",
                "at": (4, 5),
            },
        ),
    ),
    "B608": (
        (
            {
                "code": """
                def find_user(cursor, email):
                    cursor.execute("SELECT id, name FROM users WHERE email = %s", [email])
                    return cursor.fetchone()
                """,
                "id": "bound-parameters",
                "doc": True,
            },
            {
                "code": """
                from django.db import connection

                def delete_sessions(user_id):
                    sql = "DELETE FROM django_session WHERE user_id = %s"
                    with connection.cursor() as cursor:
                        cursor.execute(sql, [user_id])
                """,
                "id": "constant-sql-in-variable",
            },
        ),
        (
            {
                "code": """
                def find_user(cursor, email):
                    cursor.execute(f"SELECT id, name FROM users WHERE email = '{email}'")
                    return cursor.fetchone()
                """,
                "id": "f-string-in-execute",
                "at": (2, 20),
                "message": "string-based query construction",
                "confidence": Confidence.MEDIUM,
                "doc": True,
            },
            {
                "code": """
                def delete_sessions(cursor, user_id):
                    sql = "DELETE FROM django_session WHERE user_id = '%s'" % user_id
                    cursor.execute(sql)
                """,
                "id": "percent-format-then-execute",
                "at": (2, 11),
                "confidence": Confidence.LOW,
                "note": "built away from the execute() call: bandit is less sure",
            },
        ),
    ),
    "B609": (
        (
            {
                "code": """
                import glob
                import subprocess

                def fix_media_owner():
                    files = glob.glob("/srv/media/*")
                    subprocess.run(["chown", "www-data:www-data", *files], check=True)
                """,
                "id": "glob-in-python",
                "doc": True,
            },
            {
                "code": """
                import subprocess
                from pathlib import Path

                def backup_dumps(folder):
                    dumps = sorted(str(p) for p in Path(folder).glob("*.sql"))
                    subprocess.run(["tar", "czf", "dumps.tgz", "--", *dumps], check=True)
                """,
                "id": "pathlib-glob-then-list",
            },
        ),
        (
            {
                "code": """
                import os

                def fix_media_owner():
                    os.system("chown -R www-data:www-data /srv/media/*")
                """,
                "id": "os-system-chown-wildcard",
                "at": (4, 5),
                "message": "Possible wildcard injection",
                "doc": True,
            },
            {
                "code": """
                import subprocess

                def backup_dumps():
                    subprocess.call("cd /srv/dumps && tar czf dumps.tgz *.sql", shell=True)
                """,
                "id": "shell-true-tar-wildcard",
                "at": (4, 5),
            },
        ),
    ),
    "B610": (
        (
            {
                "code": """
                def orders_with_status(status):
                    return Order.objects.filter(status=status)
                """,
                "id": "orm-filter",
                "doc": True,
            },
            {
                "code": """
                def orders_with_status(status):
                    return Order.objects.extra(where=["status = %s"], params=[status])
                """,
                "id": "extra-with-params",
                "note": "the SQL is constant and the value goes through params=",
            },
        ),
        (
            {
                "code": """
                def orders_with_status(status):
                    return Order.objects.extra(where=[f"status = '{status}'"])
                """,
                "id": "extra-where-f-string",
                "at": (2, 12),
                "message": "Use of extra potential SQL attack vector",
                "doc": True,
            },
            {
                "code": """
                def ranked_products(rank_sql):
                    return Product.objects.all().extra(select={"rank": rank_sql}).order_by("-rank")
                """,
                "id": "extra-select-variable",
                "at": (2, 12),
            },
        ),
    ),
    "B611": (
        (
            {
                "code": """
                from django.db.models.expressions import RawSQL

                def orders_above(min_price):
                    big_lines = RawSQL("SELECT COUNT(*) FROM orders_line WHERE price > %s", (min_price,))
                    return Order.objects.annotate(big_lines=big_lines)
                """,
                "id": "constant-sql-with-params",
                "doc": True,
            },
            {
                "code": """
                from django.db.models import F, Sum

                def orders_above(min_total):
                    return Order.objects.annotate(total=Sum("lines__price")).filter(total__gt=min_total)
                """,
                "id": "orm-aggregate",
            },
        ),
        (
            {
                "code": """
                from django.db.models.expressions import RawSQL

                def orders_sorted(column):
                    return Order.objects.annotate(key=RawSQL(f"SELECT {column} FROM orders_meta", ()))
                """,
                "id": "rawsql-f-string",
                "at": (4, 39),
                "message": "Use of RawSQL potential SQL attack vector",
                "doc": True,
            },
            {
                "code": """
                from django.db.models import RawSQL

                def tagged(tag):
                    sql = "SELECT id FROM tags WHERE name = '%s'" % tag
                    return Post.objects.filter(id__in=RawSQL(sql, []))
                """,
                "id": "rawsql-variable",
                "at": (5, 39),
            },
        ),
    ),
    "B612": (
        (
            {
                "code": """
                import logging.config

                def verify_config(data):
                    return data if check_signature(data) else None

                listener = logging.config.listen(9030, verify=verify_config)
                """,
                "id": "listen-with-verify",
                "doc": True,
            },
            {
                "code": """
                import socket

                server = socket.socket()
                server.bind(("127.0.0.1", 9030))
                server.listen(16)
                """,
                "id": "socket-listen",
            },
        ),
        (
            {
                "code": """
                import logging.config

                listener = logging.config.listen(9030)
                listener.start()
                """,
                "id": "listen-without-verify",
                "at": (3, 12),
                "message": "insecure logging.config.listen",
                "doc": True,
            },
            {
                "code": """
                import logging.config

                def start_log_listener(port):
                    thread = logging.config.listen(port)
                    thread.daemon = True
                    thread.start()
                """,
                "id": "listen-in-function",
                "at": (4, 14),
            },
        ),
    ),
    "B613": (
        (
            {
                "code": """
                def is_admin(user):
                    access_level = user.access_level
                    if access_level != "user":  # only staff accounts
                        return True
                    return False
                """,
                "id": "plain-text",
                "doc": True,
            },
            {
                "code": """
                GREETINGS = {"he": "שלום", "ar": "مرحبا"}

                def greeting(language):
                    return GREETINGS.get(language, "Hello")
                """,
                "id": "right-to-left-letters",
                "note": "right-to-left letters are text, not bidirectional control characters",
            },
        ),
        (
            {
                "code": """
                def is_admin(user):
                    access_level = user.access_level
                    if access_level != "user\u202e \u2066# admin\u2069 \u2066":
                        return True
                    return False
                """,
                "id": "rlo-hides-condition",
                "at": (3, 29),
                "message": "bidirectional control characters",
                "doc": True,
            },
            {
                "code": """
                def transfer(amount, account):
                    limit = 1000  # \u2067 limit for EU accounts \u2069
                    return amount <= limit
                """,
                "id": "rli-in-comment",
                "at": (2, 21),
            },
        ),
    ),
    "B614": (
        (
            {
                "code": """
                import torch

                def load_model(path):
                    state = torch.load(path, weights_only=True)
                    return build_model().load_state_dict(state)
                """,
                "id": "weights-only",
                "doc": True,
            },
            {
                "code": """
                from safetensors.torch import load_file

                def load_model(path):
                    return build_model().load_state_dict(load_file(path))
                """,
                "id": "safetensors",
            },
        ),
        (
            {
                "code": """
                import torch

                def load_model(path):
                    state = torch.load(path)
                    return build_model().load_state_dict(state)
                """,
                "id": "torch-load-default",
                "at": (4, 13),
                "message": "unsafe PyTorch load",
                "doc": True,
            },
            {
                "code": """
                import torch

                def load_upload(upload):
                    return torch.load(upload, map_location="cpu", weights_only=False)
                """,
                "id": "torch-load-weights-only-false",
                "at": (4, 12),
            },
        ),
    ),
    "B615": (
        (
            {
                "code": """
                from transformers import AutoModel

                model = AutoModel.from_pretrained(
                    "bert-base-uncased",
                    revision="86b5e0934494bd15c9632b12f734a8a67f723594",
                )
                """,
                "id": "pinned-commit",
                "doc": True,
            },
            {
                "code": """
                from transformers import AutoTokenizer

                tokenizer = AutoTokenizer.from_pretrained("./models/bert-base-uncased")
                """,
                "id": "local-path",
            },
        ),
        (
            {
                "code": """
                from transformers import AutoModel

                model = AutoModel.from_pretrained("bert-base-uncased")
                """,
                "id": "from-pretrained-unpinned",
                "at": (3, 9),
                "message": "without revision pinning",
                "doc": True,
            },
            {
                "code": """
                from huggingface_hub import hf_hub_download

                def fetch_weights():
                    return hf_hub_download("acme/classifier", "model.safetensors", revision="main")
                """,
                "id": "hf-hub-download-branch",
                "at": (4, 12),
                "note": "a branch name moves; only a commit hash pins the download",
            },
        ),
    ),
    # -- B7xx: templates and HTML (XSS)
    "B701": (
        (
            {
                "code": """
                from jinja2 import Environment, FileSystemLoader, select_autoescape

                env = Environment(
                    loader=FileSystemLoader("templates"),
                    autoescape=select_autoescape(["html", "xml"]),
                )
                """,
                "id": "select-autoescape",
                "doc": True,
            },
            {
                "code": """
                import jinja2

                env = jinja2.Environment(loader=jinja2.PackageLoader("shop"), autoescape=True)
                """,
                "id": "autoescape-true",
            },
        ),
        (
            {
                "code": """
                from jinja2 import Environment, FileSystemLoader

                env = Environment(loader=FileSystemLoader("templates"))
                """,
                "id": "autoescape-default-off",
                "at": (3, 7),
                "message": "By default, jinja2 sets autoescape to False",
                "doc": True,
            },
            {
                "code": """
                import jinja2

                def render_email(name, body):
                    env = jinja2.Environment(autoescape=False)
                    return env.from_string(body).render(name=name)
                """,
                "id": "autoescape-false",
                "at": (4, 11),
                "message": "autoescape=False is dangerous",
            },
        ),
    ),
    "B702": (
        (
            {
                "code": """
                from mako.lookup import TemplateLookup

                lookup = TemplateLookup(directories=["templates"], default_filters=["h"])

                def render(name, **context):
                    return lookup.get_template(name).render(**context)
                """,
                "id": "lookup-with-html-escaping",
                "doc": True,
            },
            {
                "code": """
                from jinja2 import Environment, PackageLoader, select_autoescape

                env = Environment(loader=PackageLoader("shop"), autoescape=select_autoescape())
                """,
                "id": "autoescaping-engine",
            },
        ),
        (
            {
                "code": """
                from mako.template import Template

                def render_greeting(name):
                    return Template("<p>Hello ${name}</p>").render(name=name)
                """,
                "id": "mako-template",
                "at": (4, 12),
                "message": "Mako templates allow HTML/JS rendering by default",
                "doc": True,
            },
            {
                "code": """
                import mako.template

                ORDER_MAIL = mako.template.Template(filename="templates/order.html")
                """,
                "id": "mako-template-from-file",
                "at": (3, 14),
            },
        ),
    ),
    "B703": (
        (
            {
                "code": """
                from django.utils.html import format_html

                def badge(user):
                    return format_html("<span class='badge'>{}</span>", user.username)
                """,
                "id": "format-html",
                "doc": True,
            },
            {
                "code": """
                from django.utils.safestring import mark_safe

                def separator():
                    html = "<hr class='divider'>"
                    return mark_safe(html)
                """,
                "id": "mark-safe-constant-variable",
                "note": "the variable only ever holds a literal",
            },
        ),
        (
            {
                "code": """
                from django.utils.safestring import mark_safe

                def badge(user):
                    return mark_safe(f"<span class='badge'>{user.username}</span>")
                """,
                "id": "mark-safe-f-string",
                "at": (4, 12),
                "message": "Potential XSS on mark_safe function",
                "doc": True,
            },
            {
                "code": """
                from django.utils.safestring import mark_safe

                def bio(profile):
                    html = "<div class='bio'>%s</div>" % profile.bio
                    return mark_safe(html)
                """,
                "id": "mark-safe-formatted-variable",
                "at": (5, 12),
            },
        ),
    ),
    "B704": (
        (
            {
                "code": """
                from markupsafe import Markup

                def badge(name):
                    return Markup("<span class='badge'>{}</span>").format(name)
                """,
                "id": "markup-format-escapes",
                "doc": True,
            },
            {
                "code": """
                from markupsafe import escape

                def badge(name):
                    return f"<span class='badge'>{escape(name)}</span>"
                """,
                "id": "escape",
            },
        ),
        (
            {
                "code": """
                from markupsafe import Markup

                def badge(name):
                    return Markup(f"<span class='badge'>{name}</span>")
                """,
                "id": "markup-f-string",
                "at": (4, 12),
                "message": "Potential XSS",
                "doc": True,
            },
            {
                "code": """
                from flask import Markup

                @app.template_filter("comment")
                def render_comment(comment):
                    return Markup(comment.body)
                """,
                "id": "flask-markup-attribute",
                "at": (5, 12),
            },
        ),
    ),
}
