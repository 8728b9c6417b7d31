from django.http import JsonResponse
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from .models import Order


@api_view(["GET"])
@permission_classes([IsAuthenticated])
def order_status(request, pk):
    order = Order.objects.get(pk=pk, customer=request.user)
    return Response({"id": order.pk, "status": order.status})


def basket_count(request):
    if not request.user.is_authenticated:
        return JsonResponse({"count": 0})
    return JsonResponse({"count": request.user.basket_items.count()})
