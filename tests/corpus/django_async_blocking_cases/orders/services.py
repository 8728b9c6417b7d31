from django.db.models import Sum

from orders.models import Order


def order_totals(user_id: int) -> dict:
    return Order.objects.filter(customer_id=user_id).aggregate(total=Sum("total"))  # ok: async-blocking
