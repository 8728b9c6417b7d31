import asyncio

import httpx
import requests
from asgiref.sync import sync_to_async
from django.contrib.auth import get_user_model
from django.http import Http404, JsonResponse

from orders.models import Order, OrderLine
from orders.services import order_totals
from partners.registry import Partner

User = get_user_model()
TRACKING_URL = "https://tracking.example.com/v1/parcels"


async def order_detail(request, pk):
    try:
        order = await Order.objects.aget(pk=pk)  # ok: async-blocking
    except Order.DoesNotExist:
        raise Http404
    if order.customer_id != request.user.id:
        raise Http404
    lines = [line async for line in OrderLine.objects.filter(order=order)[:100]]  # ok: async-blocking
    return JsonResponse({"id": order.pk, "lines": [line.sku for line in lines]})


async def open_orders(request):
    orders = Order.objects.filter(customer_id=request.user.id, status="open")[:50]  # ok: async-blocking
    data = []
    for order in orders:  # expect: async-blocking
        data.append({"id": order.pk, "total": str(order.total)})
    return JsonResponse({"orders": data})


async def order_count(request):
    count = Order.objects.filter(customer_id=request.user.id).count()  # expect: async-blocking
    latest = Order.objects.filter(customer_id=request.user.id).order_by("-created").first()  # expect: async-blocking
    return JsonResponse({"count": count, "latest": latest.pk if latest else None})


async def create_order(request):
    order = Order.objects.create(customer_id=request.user.id, total=0)  # expect: async-blocking
    return JsonResponse({"id": order.pk}, status=201)


async def staff_emails(request):
    emails = list(User.objects.filter(is_staff=True).values_list("email", flat=True)[:100])  # expect: async-blocking
    return JsonResponse({"emails": emails})


async def order_summary(request):
    totals = await sync_to_async(order_totals)(request.user.id)  # ok: async-blocking
    recent = await sync_to_async(lambda: list(Order.objects.filter(customer_id=request.user.id)[:5]))()  # ok: async-blocking
    return JsonResponse({"totals": totals, "recent": [o.pk for o in recent]})


async def partner_orders(request, slug):
    partner = Partner.objects.get(slug=slug)  # unclear: async-blocking
    return JsonResponse({"partner": partner.name})


async def track_parcel(request, parcel_id):
    response = requests.get(f"{TRACKING_URL}/{parcel_id}", timeout=5)  # expect: async-blocking
    return JsonResponse(response.json())


async def track_parcel_async(request, parcel_id):
    async with httpx.AsyncClient(timeout=5) as client:  # unclear: connection-pooling
        response = await client.get(f"{TRACKING_URL}/{parcel_id}")  # ok: async-blocking
    return JsonResponse(response.json())


async def track_many(request):
    ids = request.GET.getlist("id")
    with httpx.Client(timeout=5) as client:  # unclear: connection-pooling
        results = [client.get(f"{TRACKING_URL}/{pid}").json() for pid in ids]  # expect: async-blocking
    return JsonResponse({"parcels": results})


async def wait_for_payment(request, pk):
    for _ in range(10):
        order = await Order.objects.aget(pk=pk)  # ok: async-blocking
        if order.status == "paid":
            return JsonResponse({"paid": True})
        await asyncio.sleep(1)  # ok: async-blocking
    return JsonResponse({"paid": False})


def order_list_sync(request):
    orders = list(Order.objects.filter(customer_id=request.user.id)[:50])  # ok: async-blocking
    return JsonResponse({"orders": [o.pk for o in orders]})


async def refund_order(request, pk):
    from django.contrib.auth import get_user_model as user_model

    from orders import models

    order = models.Order.objects.get(pk=pk)  # expect: async-blocking
    staff = user_model().objects.filter(is_staff=True).first()  # expect: async-blocking
    await models.Order.objects.filter(pk=pk).aupdate(status="refunded")  # ok: async-blocking
    return JsonResponse({"order": order.pk, "by": staff.pk if staff else None})


@sync_to_async
def _customer_orders(user_id):
    return list(Order.objects.filter(customer_id=user_id)[:20])  # ok: async-blocking


def _order_lines(order_id):
    return list(OrderLine.objects.filter(order_id=order_id)[:200])  # ok: async-blocking


async def order_lines(request, pk):
    orders = await _customer_orders(request.user.id)  # ok: async-blocking
    lines = _order_lines(pk)  # expect: async-blocking
    return JsonResponse({"orders": [o.pk for o in orders], "lines": [line.sku for line in lines]})
