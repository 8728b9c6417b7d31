from django.contrib.auth.models import AbstractUser
from django.db import models


class Member(AbstractUser):
    email = models.EmailField(unique=True)


class Profile(models.Model):
    user = models.OneToOneField(Member, on_delete=models.CASCADE)
    transfer_pin = models.CharField(max_length=64, blank=True)
