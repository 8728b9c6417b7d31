from django.db import models


class Invoice(models.Model):
    reference = models.CharField(max_length=64)
    amount = models.DecimalField(max_digits=10, decimal_places=2)


class Payment(models.Model):
    intent_id = models.CharField(max_length=64, blank=True)
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    email = models.EmailField(blank=True)
    status = models.CharField(max_length=16, default="pending")
