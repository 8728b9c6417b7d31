"""BL861's good and bad examples (tests and docs). Each example is a project of one file."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        import logging

        logger = logging.getLogger(__name__)

        def change_password(user, new_password):
            user.set_password(new_password)
            user.save()
            logger.info("password changed for user %s", user.id)
        """,
        id="word-only-in-the-message",
        doc=True,
        note="`password` is only in the literal text; the value logged is the user's id",
    ),
    Valid(
        """
        import logging

        log = logging.getLogger(__name__)

        def call_api(api_key, payload):
            log.debug("calling the API with key %s... (%d chars)", api_key[:4], len(api_key))
            log.debug("key in use: %s", mask(api_key))
            log.debug("key set: %s", api_key is not None)
        """,
        id="masked-values",
        doc=True,
        note="a prefix, a length, a masking helper and a boolean carry no credential",
    ),
    Valid(
        """
        import logging

        logger = logging.getLogger(__name__)

        def record_usage(response, token_count, max_tokens, password_reset_url, token_type):
            logger.info("used %s of %s tokens", token_count, max_tokens)
            logger.info("reset link sent: %s", password_reset_url)
            logger.info("token type %s, expires in %s", token_type, response.token_expires_in)
        """,
        id="names-that-talk-about-credentials",
        note="counts, URLs, types and expiry times are named after a credential but are not one",
    ),
    Valid(
        """
        import structlog

        log = structlog.get_logger()

        def login(request, user):
            password = request.POST["password"]
            log.info("login", user_id=user.id, has_password=bool(password), password_length=len(password))
        """,
        id="structlog-derived-keywords",
    ),
    Valid(
        """
        from tokenize import generate_tokens

        def parse(source, logger):
            for token in generate_tokens(source.readline):
                logger.debug("token %r", token)
        """,
        id="lexer-token",
        note="a bare `token` in a file that tokenizes is a lexer's token",
    ),
    Valid(
        """
        import logging

        logger = logging.getLogger(__name__)

        def connect(host, password):
            password = "***"
            logger.info("connecting to %s with %s", host, password)
        """,
        id="reassigned-to-a-placeholder",
    ),
]

INVALID = [
    Invalid(
        """
        import logging

        logger = logging.getLogger(__name__)

        def login(request):
            pw = request.form["password"]
            user = authenticate(request.form["username"], pw)
            if user is None:
                logger.warning("failed login for %s with %s", request.form["username"], pw)
        """,
        id="traced-through-a-variable",
        at=(9, 81),
        message='`pw` (from `request.form["password"]` (line 6))',
        doc=True,
    ),
    Invalid(
        """
        import logging

        log = logging.getLogger(__name__)

        def fetch(session, url, api_key):
            log.debug(f"GET {url} with key {api_key}")
            return session.get(url, headers={"X-Api-Key": api_key})
        """,
        id="f-string",
        at=(6, 15),
        message="writes `api_key`",
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.get("/me")
        def me():
            auth = request.headers.get("Authorization")
            app.logger.info("request from %s", auth)
            return {"ok": True}
        """,
        id="authorization-header",
        at=(8, 40),
        message='from `request.headers.get("Authorization")` (line 7)',
    ),
    Invalid(
        """
        import structlog

        log = structlog.get_logger()

        def issue(user):
            token = create_access_token(user)
            log.info("token issued", user_id=user.id, token=token)
            return token
        """,
        id="structlog-keyword",
        at=(7, 47),
        message="redacting processor",
        doc=True,
    ),
    Invalid(
        """
        from loguru import logger

        def connect(settings):
            logger.info("connecting with " + settings.DB_PASSWORD)
        """,
        id="loguru-concatenation",
        at=(4, 17),
        message="redacting `patcher`",
    ),
    Invalid(
        """
        import logging

        logger = logging.getLogger(__name__)

        def webhook(request):
            logger.debug("webhook headers: %s", request.headers)
        """,
        id="whole-headers",
        at=(6, 41),
        message="every request header",
        confidence=Confidence.LOW,
        doc=True,
    ),
    Invalid(
        """
        import logging

        logger = logging.getLogger(__name__)

        def token_view(request):
            logger.info("token request: %s", request.data)
        """,
        id="login-endpoint-body",
        at=(6, 38),
        message="the whole request body of a `token` endpoint",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        def reset(user, new_password):
            print("new password for", user.email, "is", new_password)
        """,
        id="print",
        at=(2, 49),
        message="do not print it",
    ),
]
