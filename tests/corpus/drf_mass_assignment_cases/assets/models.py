from django.conf import settings
from django.contrib.auth.models import Group
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class DeviceRole(models.Model):
    name = models.CharField(max_length=60)


class Device(models.Model):
    name = models.CharField(max_length=100)
    role = models.ForeignKey(DeviceRole, on_delete=models.PROTECT)
    tenant = models.ForeignKey("organizations.Organization", null=True, on_delete=models.SET_NULL)
    serial = models.CharField(max_length=60, blank=True)
    owner_content_type = models.ForeignKey(ContentType, null=True, on_delete=models.CASCADE)
    owner_object_id = models.PositiveIntegerField(null=True)
    owner_object = GenericForeignKey("owner_content_type", "owner_object_id")


class Reservation(models.Model):
    device = models.ForeignKey(Device, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    tenant = models.ForeignKey("organizations.Organization", null=True, on_delete=models.SET_NULL)
    description = models.CharField(max_length=200)


class AccessPolicy(models.Model):
    name = models.CharField(max_length=100)
    groups = models.ManyToManyField(Group, blank=True)
    actions = models.JSONField(default=list)
