from django.core.management.base import BaseCommand

from ledger.models import Account


class Command(BaseCommand):
    def handle(self, *args, **options):
        closing = Account.objects.get(pk=options["account"])
        house = Account.objects.get(pk=1)
        house.balance += closing.balance
        house.save()
        closing.balance -= closing.balance
        closing.save()  # expect: transaction
