import secrets

from django.conf import settings
from django.db import models


class ApiKey(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    prefix = models.CharField(max_length=8, db_index=True)
    key_hash = models.CharField(max_length=128)
    created = models.DateTimeField(auto_now_add=True)

    @staticmethod
    def generate():
        return secrets.token_hex(24)
