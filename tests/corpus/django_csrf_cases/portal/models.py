from django.conf import settings
from django.db import models


class Appointment(models.Model):
    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    doctor = models.CharField(max_length=120)
    starts_at = models.DateTimeField()
    cancelled = models.BooleanField(default=False)


class CreditTransfer(models.Model):
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient_email = models.EmailField()
    amount = models.DecimalField(max_digits=8, decimal_places=2)


class Attachment(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    file = models.FileField(upload_to="attachments/")


class DeviceReading(models.Model):
    device_key = models.CharField(max_length=64)
    value = models.FloatField()
