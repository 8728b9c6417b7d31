from django.conf import settings
from django.db import models


class Notebook(models.Model):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)


class Note(models.Model):
    notebook = models.ForeignKey(Notebook, on_delete=models.CASCADE)
    title = models.CharField(max_length=200)
    body = models.TextField()
    archived = models.BooleanField(default=False)
    view_count = models.PositiveIntegerField(default=0)
    last_viewed = models.DateTimeField(null=True)


class Share(models.Model):
    note = models.ForeignKey(Note, on_delete=models.CASCADE)
    slug = models.SlugField(max_length=64, unique=True)
    email = models.EmailField(blank=True)
    accepted = models.BooleanField(default=False)


class Reader(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    last_seen = models.DateTimeField(null=True)
