from django.db import transaction

from .models import AuditLog, Order, OrderLine, Shipment


def create_order(customer, items):
    """Called from the checkout API and from the nightly import."""
    order = Order.objects.create(customer=customer, total=sum(i["price"] * i["quantity"] for i in items))
    OrderLine.objects.bulk_create(  # unclear: transaction
        [OrderLine(order=order, product_id=i["product"], quantity=i["quantity"]) for i in items]
    )
    return order


@transaction.atomic
def ship(order, carrier):
    shipment = Shipment.objects.create(order=order, carrier=carrier)
    order.status = "shipped"
    order.save(update_fields=["status"])  # ok: transaction
    return shipment


def record_shipping(order):
    order.status = "shipping"
    order.save(update_fields=["status"])
    AuditLog.objects.create(actor=order.customer, action="ship", order=order)  # ok: transaction
