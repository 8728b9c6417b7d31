from django.conf import settings
from django.db import models


class Account(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)  # ok: missing-index
    name = models.CharField(max_length=120)


class Entry(models.Model):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, db_index=False)  # ok: missing-index
    booked_on = models.DateField()
    amount = models.DecimalField(max_digits=12, decimal_places=2)

    class Meta:
        indexes = [models.Index(fields=["account", "-booked_on"], name="entry_account_booked")]


class Transfer(models.Model):
    source = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", db_index=False)  # ok: missing-index
    target = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+", db_index=False)  # unclear: missing-index
    reference = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "reference"], name="uniq_transfer_source_ref")]


class Statement(models.Model):
    account = models.OneToOneField(Account, on_delete=models.CASCADE, db_index=False)  # ok: missing-index
    closing_balance = models.DecimalField(max_digits=12, decimal_places=2)


class Tagging(models.Model):
    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, db_index=False)  # ok: missing-index
    label = models.CharField(max_length=40)

    class Meta:
        unique_together = ("entry", "label")


class AuditNote(models.Model):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, db_index=False)  # unclear: missing-index
    text = models.TextField()
