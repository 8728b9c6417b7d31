"""BL831's good and bad examples (tests and docs). Each example is a file of its own."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from werkzeug.security import check_password_hash, generate_password_hash

        def register(user, password):
            user.password_hash = generate_password_hash(password)

        def login(user, password):
            return check_password_hash(user.password_hash, password)
        """,
        id="werkzeug-default-method",
        doc=True,
    ),
    Valid(
        """
        import hashlib
        import secrets

        def issue_api_key(account):
            raw = secrets.token_urlsafe(32)
            account.api_key_hash = hashlib.sha256(raw.encode()).hexdigest()
            return raw

        def find_reset(token):
            digest = hashlib.sha256(token.encode()).hexdigest()
            return ResetToken.query.filter_by(token_hash=digest).first()
        """,
        id="sha256-of-a-token",
        doc=True,
        note="a high-entropy token needs no slow hash: sha256 is the right way to store it",
    ),
    Valid(
        """
        import hashlib

        def etag(body: bytes) -> str:
            return hashlib.md5(body).hexdigest()

        def cache_key(user_id, page):
            return "page:" + hashlib.sha1(f"{user_id}:{page}".encode()).hexdigest()

        def checksum(path):
            with open(path, "rb") as fh:
                return hashlib.md5(fh.read(), usedforsecurity=False).hexdigest()
        """,
        id="etag-cache-key-checksum",
    ),
    Valid(
        """
        import base64
        import hashlib

        import bcrypt

        def hash_password(password: str) -> bytes:
            # pre-hash: bcrypt reads only 72 bytes
            digest = base64.b64encode(hashlib.sha256(password.encode()).digest())
            return bcrypt.hashpw(digest, bcrypt.gensalt())
        """,
        id="sha256-pre-hash-for-bcrypt",
        note="a fast digest handed to bcrypt is only a pre-hash",
    ),
    Valid(
        """
        import hashlib
        import os

        def hash_password(password: str, salt: bytes | None = None):
            salt = salt or os.urandom(16)
            return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, 600_000), salt
        """,
        id="pbkdf2-enough-iterations",
    ),
    Valid(
        """
        import hashlib

        import requests

        def is_pwned(password: str) -> bool:
            digest = hashlib.sha1(password.encode()).hexdigest().upper()
            prefix, rest = digest[:5], digest[5:]
            reply = requests.get(f"https://api.pwnedpasswords.com/range/{prefix}", timeout=5)
            return rest in reply.text
        """,
        id="pwned-passwords-lookup",
        note="the SHA-1 is what the k-anonymity API asks for: it is sent, not stored",
    ),
    Valid(
        """
        import hashlib

        class SubsonicClient:
            def __init__(self, user, password):
                self.user = user
                self.password = password

            def auth_params(self, salt):
                token = hashlib.md5((self.password + salt).encode()).hexdigest()
                return {"u": self.user, "t": token, "s": salt}
        """,
        id="client-protocol-token",
        note="another service's credential, hashed as its API requires",
    ),
    Valid(
        """
        PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.Argon2PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
            "django.contrib.auth.hashers.MD5PasswordHasher",
        ]
        """,
        id="django-md5-kept-for-old-hashes",
        note="only the first hasher hashes new passwords",
    ),
    Valid(
        """
        import sys

        if "test" in sys.argv:
            PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
        """,
        id="django-md5-for-tests",
        doc=True,
        note="MD5 for the test run is Django's documented speed-up",
    ),
    Valid(
        """
        from passlib.context import CryptContext

        pwd_context = CryptContext(schemes=["argon2", "bcrypt", "md5_crypt"], deprecated="auto")
        """,
        id="passlib-legacy-scheme-after-argon2",
    ),
    Valid(
        """
        import hashlib

        def gravatar(user):
            return "https://www.gravatar.com/avatar/" + hashlib.md5(user.email.lower().encode()).hexdigest()

        def session_hash(user):
            return hashlib.sha256(user.password.encode()).hexdigest()
        """,
        id="md5-of-email-and-of-a-stored-hash",
        note="`user.password` is the stored hash: hashing it derives a token",
    ),
]

INVALID = [
    Invalid(
        """
        import hashlib

        from flask import request

        def register():
            user = User(email=request.form["email"])
            user.password = hashlib.md5(request.form["password"].encode()).hexdigest()
            db.session.add(user)
        """,
        id="flask-md5-stored",
        at=(7, 21),
        message="`hashlib.md5(request.form[\"password\"].encode())` hashes the password `request.form[\"password\"]` with a fast, unsalted MD5",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import hashlib

        def check_login(username, password):
            data = (SALT + password).encode()
            digest = hashlib.sha256(data).hexdigest()
            user = User.query.filter_by(username=username).first()
            return user is not None and user.password_hash == digest
        """,
        id="sha256-through-locals-compared",
        at=(5, 14),
        message="compared with `user.password_hash`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import hashlib

        def set_password(self, raw_password):
            h = hashlib.sha1()
            h.update(raw_password.encode("utf-8"))
            self.pw_hash = h.hexdigest()
        """,
        id="update-on-hash-object",
        at=(5, 5),
        message="on `hashlib.sha1()`",
    ),
    Invalid(
        """
        import hashlib

        def encrypt(password):
            return hashlib.md5(password.encode()).hexdigest()
        """,
        id="md5-of-password-use-not-visible",
        at=(4, 12),
        confidence=Confidence.LOW,
        message="What the digest is used for is not visible here",
    ),
    Invalid(
        """
        import hmac, hashlib

        def hash_password(password):
            return hmac.new(PEPPER, password.encode(), hashlib.sha256).hexdigest()
        """,
        id="hmac-as-password-hash",
        at=(4, 12),
        message="a single HMAC-SHA-256 round",
    ),
    Invalid(
        """
        PASSWORD_HASHERS = [
            "django.contrib.auth.hashers.UnsaltedMD5PasswordHasher",
            "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        ]
        """,
        id="django-unsalted-md5-first",
        at=(1, 1),
        message="puts `django.contrib.auth.hashers.UnsaltedMD5PasswordHasher` first",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from passlib.context import CryptContext

        pwd_context = CryptContext(schemes=["md5_crypt", "bcrypt"], deprecated="auto")
        """,
        id="passlib-md5-crypt-default",
        at=(3, 15),
        message="hashes new passwords with `md5_crypt`",
    ),
    Invalid(
        """
        from werkzeug.security import generate_password_hash

        def create_user(name, password):
            return User(name=name, password=generate_password_hash(password, method="sha256"))
        """,
        id="werkzeug-sha256-method",
        at=(4, 37),
        message="a single salted SHA-256 HMAC round",
    ),
    Invalid(
        """
        import hashlib

        ROUNDS = 1000

        def hash_password(password, salt):
            return hashlib.pbkdf2_hmac("sha256", password.encode(), salt, ROUNDS).hex()
        """,
        id="pbkdf2-few-iterations",
        at=(6, 12),
        confidence=Confidence.LOW,
        message="OWASP's Password Storage Cheat Sheet asks for 600,000",
    ),
    Invalid(
        """
        import bcrypt

        def hash_password(password):
            return bcrypt.hashpw(password.encode(), bcrypt.gensalt(rounds=4))
        """,
        id="bcrypt-cost-4",
        at=(4, 45),
        confidence=Confidence.LOW,
        message="sets bcrypt's cost to 4",
    ),
    Invalid(
        """
        import hashlib

        def signup(cursor, form):
            pw_hash = hashlib.sha512(form.password.data.encode()).hexdigest()
            cursor.execute("INSERT INTO users (email, password) VALUES (%s, %s)", (form.email.data, pw_hash))
        """,
        id="sql-insert-of-a-digest",
        at=(4, 15),
        message="stored in the `password` column",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from django.contrib.auth.hashers import make_password

        def import_user(row):
            return User(username=row["login"], password=make_password(row["password"], None, "unsalted_md5"))
        """,
        id="django-make-password-unsalted-md5",
        at=(4, 49),
        message="Django's `UnsaltedMD5PasswordHasher`",
    ),
]
