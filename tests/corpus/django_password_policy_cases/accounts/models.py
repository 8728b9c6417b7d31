from django.contrib.auth.models import AbstractUser
from django.db import models


class Member(AbstractUser):
    display_name = models.CharField(max_length=80, blank=True)
    invited_by = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL)


class Invitation(models.Model):
    email = models.EmailField()
    token = models.CharField(max_length=64, unique=True)
    accepted = models.BooleanField(default=False)
