import secrets

from django.db import models


def new_token() -> str:
    return secrets.token_urlsafe(32)  # ok: hardcoded-secret


class ApiToken(models.Model):
    key = models.CharField(max_length=64, default=new_token)
    label = models.CharField(max_length=100, default="default token")  # ok: hardcoded-secret
    token_type = models.CharField(max_length=20, default="bearer")  # ok: hardcoded-secret
