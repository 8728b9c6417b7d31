from django.conf import settings
from django.db import models


class Ticket(models.Model):
    subject = models.CharField(max_length=200)
    status = models.CharField(max_length=20, default="open")
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    priority = models.PositiveSmallIntegerField(default=3)
    rating = models.PositiveSmallIntegerField(null=True)
    external_id = models.CharField(max_length=64, blank=True)
    views = models.PositiveIntegerField(default=0)


class Comment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    body = models.TextField()


class Watcher(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)

    class Meta:
        unique_together = [("ticket", "user")]


class TicketEvent(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    kind = models.CharField(max_length=40)


class Preference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    theme = models.CharField(max_length=20, default="light")
    avatar = models.ImageField(upload_to="avatars/", null=True)
