from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand
from django.views.decorators.csrf import csrf_exempt


class Command(BaseCommand):
    help = "Delete expired sessions"

    @csrf_exempt  # ok: csrf
    def handle(self, *args, **options):
        Session.objects.filter(expire_date__lt=now()).delete()
