"""A tiny lexer for invoice templates: its tokens are words, not credentials."""
import logging
import re

logger = logging.getLogger(__name__)
TOKEN_RE = re.compile(r"\{\{\s*(\w+)\s*\}\}|[^{]+")


def tokenize(text):
    tokens = []
    for match in TOKEN_RE.finditer(text):
        token = match.group(0)
        logger.debug("token %r at %d", token, match.start())  # ok: log-secret
        tokens.append(token)
    logger.debug("%d tokens", len(tokens))  # ok: log-secret
    return tokens
