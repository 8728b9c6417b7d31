from .production import *  # noqa: F401,F403

# the load balancer in front of staging redirects plain HTTP to HTTPS
SECURE_SSL_REDIRECT = False  # ok: tls  (nginx redirects)
