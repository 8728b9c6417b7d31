from django.db.models import Sum

from orders.models import Order


def order_totals(user_id: int) -> dict:
    return Order.objects.filter(customer_id=user_id).aggregate(total=Sum("total"))  # ok: async-blocking


async def has_open_orders(user_id: int) -> bool:
    return await Order.objects.filter(customer_id=user_id, status="open").aexists()  # ok: async-blocking


async def first_open_order(user_id: int):
    return Order.objects.filter(customer_id=user_id, status="open")[0]  # expect: async-blocking
