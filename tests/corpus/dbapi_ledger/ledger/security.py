import hashlib
import hmac
import os

PBKDF2_ROUNDS = 390_000


def hash_password(password: str, salt: bytes | None = None) -> tuple[str, bytes]:
    salt = salt or os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode(), salt, PBKDF2_ROUNDS)
    return digest.hex(), salt


def verify_password(password: str, salt: bytes, expected_hex: str) -> bool:
    candidate, _ = hash_password(password, bytes(salt))
    return hmac.compare_digest(candidate, expected_hex)  # ok: plaintext-password


def hash_api_key(raw_key: str) -> str:
    return hashlib.scrypt(raw_key.encode(), salt=b"ledger-api-keys", n=2**14, r=8, p=1).hex()


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
