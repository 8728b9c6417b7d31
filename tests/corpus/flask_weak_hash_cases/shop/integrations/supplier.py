"""Client of the supplier's ordering API, which signs logins with md5(password + nonce)."""
import hashlib

import requests


class SupplierGateway:
    BASE_URL = "https://orders.supplier.example/api/"

    def __init__(self, username, password):
        self.username = username
        self.password = password

    def login(self, nonce):
        token = hashlib.md5((self.password + nonce).encode()).hexdigest()  # ok: weak-hash
        return requests.post(self.BASE_URL + "login", json={"user": self.username, "token": token}, timeout=10)


def legacy_portal_login(session, username, password):
    # the portal's login form expects the MD5 of the password (their JavaScript did it)
    form = {"username": username, "password": hashlib.md5(password.encode()).hexdigest()}  # ok: weak-hash
    return session.post("https://portal.supplier.example/login", data=form, timeout=10)
