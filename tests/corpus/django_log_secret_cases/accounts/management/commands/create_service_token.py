from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from rest_framework.authtoken.models import Token


class Command(BaseCommand):
    help = "Create an API token for a service account and show it once."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, **options):
        user = get_user_model().objects.get(username=options["username"])
        token, _ = Token.objects.get_or_create(user=user)
        print(f"token for {user.username}: {token.key}")  # unclear: log-secret
        self.stdout.write(self.style.SUCCESS("done"))
