from django.core.mail import send_mail
from django.core.management.base import BaseCommand

from shop.models import Customer


class Command(BaseCommand):
    help = "Mail every customer the name of their region"

    def handle(self, *args, **options):
        for customer in Customer.objects.iterator(chunk_size=500):
            region = customer.region.name  # expect: n-plus-one
            send_mail("Your region", f"You shop in {region}", "shop@example.com", [customer.email])

        for customer in Customer.objects.select_related("region").iterator(chunk_size=500):
            send_mail("Your region", f"You shop in {customer.region.name}", "shop@example.com", [customer.email])  # ok: n-plus-one
