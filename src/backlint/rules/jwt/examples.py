"""BL801's good and bad examples (tests and docs). Each example is a module of its own; in
a real project the options or the algorithms may be constants of another module."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        import jwt
        from django.conf import settings
        from rest_framework import authentication, exceptions

        from .models import User


        class BearerAuthentication(authentication.BaseAuthentication):
            def authenticate(self, request):
                token = request.headers.get("Authorization", "").removeprefix("Bearer ")
                try:
                    payload = jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"], options={"require": ["exp"]})
                except jwt.InvalidTokenError:
                    raise exceptions.AuthenticationFailed("invalid token")
                return User.objects.get(pk=payload["user_id"]), payload
        """,
        id="pyjwt-verified-decode",
        doc=True,
    ),
    Valid(
        """
        import jwt

        JWKS = jwt.PyJWKClient("https://login.example.com/.well-known/jwks.json")


        def verify_id_token(token, audience):
            header = jwt.get_unverified_header(token)
            unverified = jwt.decode(token, options={"verify_signature": False})
            key = JWKS.get_signing_key(header["kid"]).key
            if unverified.get("iss") != "https://login.example.com/":
                raise ValueError("unknown issuer")
            return jwt.decode(token, key, algorithms=["RS256"], audience=audience)
        """,
        id="peek-at-kid-and-issuer-then-verify",
        doc=True,
        note="reading the header's `kid` and the issuer to pick the key is what the unverified read is for",
    ),
    Valid(
        """
        import time

        import jwt


        class ApiClient:
            def __init__(self, access_token):
                self.access_token = access_token

            def needs_refresh(self):
                claims = jwt.decode(self.access_token, options={"verify_signature": False})
                return claims["exp"] - time.time() < 60
        """,
        id="client-checks-its-own-token-expiry",
        note="only `exp` is read: a client deciding when to refresh its own token",
    ),
    Valid(
        """
        from app.legacy import jwt


        def parse(token):
            return jwt.decode(token, verify=False)
        """,
        id="project-module-named-jwt",
        note="`jwt` is the project's own module here, not PyJWT",
    ),
    Valid(
        """
        from authlib.jose import jwt


        def read_token(token, public_key):
            claims = jwt.decode(token, public_key)
            claims.validate()
            return claims
        """,
        id="authlib-claims-validated",
    ),
    Valid(
        """
        from datetime import datetime, timedelta, timezone

        import jwt


        def issue_token(user, secret):
            payload = {"sub": str(user.id), "role": user.role}
            payload["exp"] = datetime.now(tz=timezone.utc) + timedelta(minutes=15)
            return jwt.encode(payload, secret, algorithm="HS256")
        """,
        id="encode-with-expiry-added",
    ),
    Valid(
        """
        import time

        import jwt

        GRACE = 300


        def refreshable_claims(token, secret):
            claims = jwt.decode(token, secret, algorithms=["HS256"], options={"verify_exp": False})
            if claims["exp"] + GRACE < time.time():
                raise jwt.ExpiredSignatureError("too old to refresh")
            return claims
        """,
        id="expiry-checked-by-hand",
        note="the function compares `exp` itself (a refresh grace period)",
    ),
    Valid(
        """
        import jwt

        from .tokens import _decode_jwt


        def decode_from_config(encoded_token, key_callback):
            unverified_claims = jwt.decode(encoded_token, algorithms=["HS256"], options={"verify_signature": False})
            secret = key_callback(unverified_claims)
            kwargs = {"encoded_token": encoded_token, "secret": secret, "algorithms": ["HS256"]}
            return _decode_jwt(**kwargs)
        """,
        id="peek-then-verifying-helper",
        note="the claims pick the key, then a decode helper receives the token",
    ),
    Valid(
        """
        from jose import jwt


        def _unverified_tenant(token):
            return jwt.get_unverified_claims(token)["tid"]


        def validate(token, keys):
            tenant = _unverified_tenant(token)
            return jwt.decode(token, keys[tenant], algorithms=["RS256"])
        """,
        id="unverified-helper-whose-caller-verifies",
    ),
    Valid(
        """
        import jwt


        def get_unverified_claims(token):
            return dict(jwt.decode(token, options={"verify_signature": False}))
        """,
        id="documented-peek-helper",
    ),
    Valid(
        """
        from jose import jwt


        class TokenReader:
            def unverified_payload(self, token):
                return jwt.get_unverified_claims(token)

            def is_expired(self, token, now):
                return self.unverified_payload(token)["exp"] < now
        """,
        id="peek-method-reading-the-expiry",
        note="a module-level helper named for what it does: each call to it is judged where its result is used",
    ),
    Valid(
        """
        import jwt

        from .models import ApiClient


        def _get_secret(token):
            claims = jwt.decode(token, options={"verify_signature": False})
            return ApiClient.objects.get(client_id=claims["iss"]).secret


        def authenticate(token):
            return jwt.decode(token, _get_secret(token), algorithms=["HS256"])
        """,
        id="claims-choose-the-key",
        note="the function finds the key the token is then verified with",
    ),
]

INVALID = [
    Invalid(
        """
        import jwt
        from rest_framework import authentication

        from .models import User


        class BearerAuthentication(authentication.BaseAuthentication):
            def authenticate(self, request):
                token = request.headers.get("Authorization", "").removeprefix("Bearer ")
                payload = jwt.decode(token, options={"verify_signature": False})
                return User.objects.get(pk=payload["user_id"]), payload
        """,
        id="pyjwt-signature-off-user-lookup",
        at=(10, 19),
        message='reads the token without checking its signature (`options={"verify_signature": False}`), and `authenticate` then uses its claims (`User.objects.get(pk=payload["user_id"])`)',
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import jwt


        def user_id_from(token):
            return jwt.decode(token, verify=False)["user_id"]
        """,
        id="pyjwt-1-verify-false",
        at=(5, 12),
        message="(`verify=False`; PyJWT 1.x skips the check; PyJWT 2 ignores the argument), and `user_id_from` returns its claims to its callers as if they were verified",
        confidence=Confidence.MEDIUM,
    ),
    Invalid(
        """
        import jwt
        from django.conf import settings

        ALGORITHMS = ["HS256", "none"]


        def current_user_id(request):
            token = request.COOKIES["session"]
            claims = jwt.decode(token, settings.SECRET_KEY, algorithms=ALGORITHMS)
            return claims["sub"]
        """,
        id="none-through-a-module-constant",
        at=(9, 14),
        message="accepts the `none` algorithm (`ALGORITHMS`",
        doc=True,
    ),
    Invalid(
        """
        from fastapi import Depends, HTTPException
        from fastapi.security import OAuth2PasswordBearer
        from jose import jwt

        oauth2 = OAuth2PasswordBearer(tokenUrl="token")


        async def get_current_user(token: str = Depends(oauth2)):
            claims = jwt.get_unverified_claims(token)
            if claims.get("role") != "admin":
                raise HTTPException(status_code=403)
            return claims["sub"]
        """,
        id="jose-unverified-claims-decide",
        at=(9, 14),
        message="`jwt.get_unverified_claims(...)` reads the token without checking its signature, and `get_current_user` then uses its claims (`claims.get(\"role\") != \"admin\"`)",
    ),
    Invalid(
        """
        import jwt

        SECRET = "change-me"


        def authenticate(token):
            options = {"verify_exp": False}
            payload = jwt.decode(token, SECRET, algorithms=["HS256"], options=options)
            return payload["sub"]
        """,
        id="pyjwt-expiry-off-through-a-local-dict",
        at=(8, 15),
        message='turns the expiry check off (`options={"verify_exp": False}` through `options`)',
        doc=True,
    ),
    Invalid(
        """
        from authlib.jose import jwt


        def identity(token, public_key):
            claims = jwt.decode(token, public_key)
            return claims["sub"]
        """,
        id="authlib-claims-never-validated",
        at=(5, 14),
        message="`claims.validate()`, which `identity` never calls",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        import jwt


        def issue_token(user, secret):
            payload = {"sub": str(user.id), "role": user.role}
            return jwt.encode(payload, secret, algorithm="HS256")
        """,
        id="token-issued-without-exp",
        at=(6, 12),
        message="has no `exp` claim",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        import jwt


        def decode(token, key):
            header = jwt.get_unverified_header(token)
            return jwt.decode(token, key, algorithms=[header["alg"]])
        """,
        id="algorithm-from-the-token-header",
        at=(6, 12),
        message="takes the accepted algorithm from the token's own unverified header",
    ),
    Invalid(
        """
        from rest_framework_simplejwt.tokens import AccessToken

        from .models import User


        def user_for(raw_token):
            token = AccessToken(raw_token, verify=False)
            return User.objects.get(id=token["user_id"])
        """,
        id="simplejwt-token-not-verified",
        at=(7, 13),
        message="djangorestframework-simplejwt",
    ),
    Invalid(
        """
        import jwt
        from django.conf import settings


        def claims_of(token):
            options = {}
            if settings.DEBUG:
                options = {"verify_signature": False}
            payload = jwt.decode(token, settings.SECRET_KEY, algorithms=["HS256"], options=options)
            return payload["user_id"]
        """,
        id="signature-off-on-one-path",
        at=(9, 15),
        message="without checking its signature on one of its paths",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from jose import jwt

        from .models import Account


        class TokenReader:
            def unverified_payload(self, token):
                return jwt.get_unverified_claims(token)

            def current_account(self, request):
                claims = self.unverified_payload(request.headers["X-Token"])
                return Account.get(claims["account_id"])
        """,
        id="unverified-method-used-by-its-class",
        at=(11, 18),
        message="(`unverified_payload` (line 7) returns what `jose.jwt.get_unverified_claims` read unverified), and `current_account` then uses its claims",
        confidence=Confidence.HIGH,
    ),
]
