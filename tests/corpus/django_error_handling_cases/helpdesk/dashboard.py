from django.core.cache import cache

from .models import Ticket


def rebuild():
    cache.set("dashboard:open", Ticket.objects.filter(status="open").count(), 300)
