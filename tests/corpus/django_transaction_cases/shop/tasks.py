from celery import shared_task
from django.db import transaction
from django.db.models import F

from .models import Order, Shipment, Wallet


@shared_task
def refund(order_id):
    order = Order.objects.select_related("customer").get(pk=order_id)
    wallet = Wallet.objects.get(customer=order.customer)
    shop_wallet = Wallet.objects.get(pk=1)
    wallet.balance += order.total
    wallet.save()
    shop_wallet.balance -= order.total
    shop_wallet.save()  # expect: transaction


@shared_task
def pay(order_id):
    order = Order.objects.get(pk=order_id)
    Wallet.objects.filter(customer=order.customer).update(balance=F("balance") - order.total)
    Wallet.objects.filter(pk=1).update(balance=F("balance") + order.total)  # expect: transaction


@shared_task
def pay_atomic(order_id):
    order = Order.objects.get(pk=order_id)
    with transaction.atomic():
        Wallet.objects.filter(customer=order.customer).update(balance=F("balance") - order.total)
        Wallet.objects.filter(pk=1).update(balance=F("balance") + order.total)  # ok: transaction


@shared_task
def mark_shipped(order_id, carrier):
    order = Order.objects.get(pk=order_id)
    order.status = "shipped"
    order.save()
    Shipment.objects.update_or_create(order=order, defaults={"carrier": carrier})  # ok: transaction
