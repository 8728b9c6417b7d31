from django.conf import settings
from django.db import models


class Customer(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    tenant = models.CharField(max_length=40)
    signing_secret = models.CharField(max_length=128)


class Invoice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    number = models.CharField(max_length=32, unique=True)
    total_cents = models.IntegerField()
    paid = models.BooleanField(default=False)
