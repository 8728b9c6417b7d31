from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    ROLES = [("member", "Member"), ("manager", "Manager"), ("owner", "Owner")]

    role = models.CharField(max_length=20, choices=ROLES, default="member")
    bio = models.TextField(blank=True)
    avatar = models.URLField(blank=True)


class Team(models.Model):
    name = models.CharField(max_length=120)
    plan = models.CharField(max_length=20, default="free")
    seats = models.PositiveIntegerField(default=3)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")


class Profile(models.Model):
    user = models.OneToOneField(User, on_delete=models.CASCADE, editable=False)
    display_name = models.CharField(max_length=80)
    timezone = models.CharField(max_length=40, default="UTC")
    is_verified = models.BooleanField(default=False)
