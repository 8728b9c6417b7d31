"""Reports how long the partners' certificates stay valid (reads them, trusts nothing)."""
import socket
import ssl
from datetime import datetime, timezone

from cryptography import x509


def certificate_expiry(host: str, port: int = 443) -> datetime:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False  # ok: tls
    ctx.verify_mode = ssl.CERT_NONE  # ok: tls
    with socket.create_connection((host, port), timeout=5) as sock:
        with ctx.wrap_socket(sock, server_hostname=host) as tls:
            der = tls.getpeercert(binary_form=True)
    cert = x509.load_der_x509_certificate(der)
    return cert.not_valid_after_utc.astimezone(timezone.utc)
