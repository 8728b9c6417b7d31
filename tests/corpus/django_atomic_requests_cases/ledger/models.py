from django.db import models


class Account(models.Model):
    owner = models.CharField(max_length=80)
    balance = models.DecimalField(max_digits=14, decimal_places=2, default=0)


class Invoice(models.Model):
    account = models.ForeignKey(Account, on_delete=models.PROTECT)
    amount = models.DecimalField(max_digits=14, decimal_places=2)


class InvoiceItem(models.Model):
    invoice = models.ForeignKey(Invoice, on_delete=models.CASCADE, related_name="items")
    label = models.CharField(max_length=120)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
