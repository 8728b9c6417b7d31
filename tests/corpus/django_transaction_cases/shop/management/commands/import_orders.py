import csv

from django.core.management.base import BaseCommand
from django.db import transaction

from shop.models import Customer, Order, OrderLine


class Command(BaseCommand):
    help = "Import orders from the legacy CSV export"

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--atomic", action="store_true")

    def handle(self, *args, **options):
        with open(options["path"], newline="") as fh:
            rows = list(csv.DictReader(fh))
        for row in rows:
            customer = Customer.objects.get(pk=row["customer"])
            order = Order(customer=customer, total=row["total"])
            order.save()
            line = OrderLine(order=order, product_id=row["product"], quantity=int(row["quantity"]))
            line.save()  # expect: transaction
        self.stdout.write(f"imported {len(rows)} orders")


class AtomicImport(BaseCommand):
    def handle(self, *args, **options):
        with transaction.atomic():
            order = Order.objects.create(customer_id=options["customer"], total=0)
            OrderLine.objects.create(order=order, product_id=options["product"], quantity=1)  # ok: transaction
