from django.conf import settings
from django.db import models


class PaymentDeclined(Exception):
    """The card issuer declined; the message is the issuer's reason, meant for the customer."""


class Invoice(models.Model):
    number = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    total_cents = models.PositiveIntegerField()
    paid = models.BooleanField(default=False)
    pdf = models.FileField(upload_to="invoices/", blank=True)
