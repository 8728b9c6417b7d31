"""The backend checklist backlint enforces: one slug per item (see docs/checklist.md).
Every rule carries exactly one of these slugs."""
from __future__ import annotations

# slug -> (item in a few words, how it is decided)
ITEMS: dict[str, tuple[str, str]] = {
    "plaintext-password": ("credentials are never stored or compared in clear", "rule+judge"),
    "pagination": ("collection endpoints are paginated", "rule+judge"),
    "sqli": ("SQL is parameterised, never built from strings", "rule+judge"),
    "rate-limit": ("abuse-prone endpoints are rate limited", "rule+judge"),
    "nosqli": ("NoSQL queries are not built from request strings or operator dicts", "rule"),
    "weak-hash": ("passwords use a slow salted hash", "rule"),
    "hardcoded-secret": ("no secrets in source", "rule"),
    "log-secret": ("logs carry no credentials", "rule+judge"),
    "tls": ("data moves over verified TLS", "rule"),
    "timeout": ("outbound calls are bounded by a timeout", "rule"),
    "async-blocking": ("no blocking I/O in async code", "rule"),
    "csrf": ("CSRF protection stays on", "rule"),
    "xss": ("output is escaped", "rule+judge"),
    "jwt": ("tokens are verified", "rule"),
    "cors": ("CORS is restrictive", "rule"),
    "authz": ("mutating endpoints check the caller", "judge"),
    "mass-assignment": ("input is validated before it reaches a model", "rule+judge"),
    "input-validation": ("request data is validated", "judge"),
    "error-leak": ("errors leak no internals", "rule"),
    "http-semantics": ("right methods and status codes", "rule+judge"),
    "api-versioning": ("the API is versioned", "judge"),
    "transaction": ("multi-step writes are atomic", "rule+judge"),
    "n-plus-one": ("no queries in loops", "rule+judge"),
    "connection-pooling": ("connections are pooled", "rule"),
    "missing-index": ("queried columns are indexed", "rule+judge"),
    "sql-antipattern": ("SQL itself is sound", "rule"),
    "injection": ("no command, path, SSRF or deserialisation injection", "rule"),
    "password-policy": ("password policies are enforced", "rule"),
    "error-handling": ("errors are handled, not swallowed", "rule"),
}
