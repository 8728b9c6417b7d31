"""The PyJWT 1.x code path, still deployed on the old worker image."""
import jwt

from .config import JWT_SECRET
from .models import User


def worker_user(token):
    payload = jwt.decode(token, verify=False)  # expect: jwt
    return User.get(payload["user_id"])


def worker_user_no_expiry(token):
    payload = jwt.decode(token, JWT_SECRET, algorithms=["HS256"], verify_expiration=False)  # expect: jwt
    return User.get(payload["user_id"])


def worker_user_checked(token):
    payload = jwt.decode(token, JWT_SECRET, algorithms=["HS256"])  # ok: jwt
    return User.get(payload["user_id"])
