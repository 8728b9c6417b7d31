from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import IntegrityError, transaction
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django_ratelimit.decorators import ratelimit
from rest_framework import viewsets
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .forms import LineForm, OrderForm, SignupForm, TagForm
from .models import AuditLog, Customer, Order, OrderLine, Product, ProductTag, Shipment, Tag, Wallet
from .serializers import OrderSerializer

User = get_user_model()


@login_required
def checkout(request):
    cart = request.session.get("cart", {"items": [], "total": 0})
    customer = request.user.customer
    order = Order.objects.create(customer=customer, total=cart["total"])  # unclear: http-semantics
    for item in cart["items"]:
        OrderLine.objects.create(  # expect: transaction
            order=order,
            product_id=item["product"],
            quantity=item["quantity"],
        )
    return redirect("order-detail", pk=order.pk)


@ratelimit(key="ip", rate="5/h", method="POST", block=True)
def signup(request):
    form = SignupForm(request.POST or None)
    if not form.is_valid():
        return render(request, "shop/signup.html", {"form": form})
    username = form.cleaned_data["username"]
    user = User.objects.create_user(username, password=form.cleaned_data["password"])
    customer = Customer.objects.create(user=user, display_name=username)  # expect: transaction
    Wallet.objects.create(customer=customer)  # ok: transaction
    return redirect("home")


@login_required
def checkout_atomic(request):
    cart = request.session.get("cart", {"items": [], "total": 0})
    with transaction.atomic():
        order = Order.objects.create(customer=request.user.customer, total=cart["total"])  # unclear: http-semantics
        for item in cart["items"]:
            OrderLine.objects.create(order=order, product_id=item["product"], quantity=item["quantity"])  # ok: transaction
    return redirect("order-detail", pk=order.pk)


@login_required
@transaction.atomic
def reorder(request, order_id):
    previous = get_object_or_404(Order, pk=order_id, customer__user=request.user)
    order = Order.objects.create(customer=previous.customer, total=previous.total)  # unclear: http-semantics
    for line in previous.lines.all():
        order.lines.create(product=line.product, quantity=line.quantity)  # ok: transaction
    return redirect("order-detail", pk=order.pk)


@login_required
def order_from_form(request, product_id):
    form = OrderForm(request.POST)
    if not form.is_valid():
        return render(request, "shop/order_form.html", {"form": form})
    order = form.save(commit=False)
    order.customer = request.user.customer
    order.save()
    order.lines.create(product_id=product_id, quantity=1)  # expect: transaction
    return redirect("order-detail", pk=order.pk)


@login_required
def cancel_order(request, order_id):
    order = get_object_or_404(Order, pk=order_id, customer__user=request.user)
    order.status = "cancelled"
    order.save(update_fields=["status"])  # unclear: http-semantics
    AuditLog.objects.create(actor=order.customer, action="cancel", order=order)  # ok: transaction
    return redirect("order-detail", pk=order.pk)


@login_required
def restock(request, product_id):
    Product.objects.filter(pk=product_id).update(stock=100)  # unclear: http-semantics
    order = Order.objects.create(customer=request.user.customer, total=0)  # ok: transaction
    return redirect("order-detail", pk=order.pk)


@login_required
def tag_product(request, product_id):
    product = get_object_or_404(Product, pk=product_id)
    form = TagForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("bad tag")
    tag, _ = Tag.objects.get_or_create(name=form.cleaned_data["tag"])
    ProductTag.objects.create(product=product, tag=tag)  # ok: transaction
    return redirect("product-detail", pk=product.pk)


@login_required
def quick_order(request):
    if "sku" not in request.POST:
        return HttpResponseBadRequest("sku required")
    if request.POST.get("dry_run"):
        draft = Order.objects.create(customer=request.user.customer, total=0, status="draft")
        return redirect("order-detail", pk=draft.pk)
    line_product = get_object_or_404(Product, name=request.POST["sku"])
    OrderLine.objects.create(order_id=request.POST["order"], product=line_product, quantity=1)  # ok: transaction
    return redirect("home")


@login_required
def checkout_with_cleanup(request):
    form = LineForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest("bad line")
    order = Order.objects.create(customer=request.user.customer, total=0)
    try:
        OrderLine.objects.create(order=order, product=form.cleaned_data["product"], quantity=1)  # ok: transaction
    except IntegrityError:
        order.delete()
        raise
    return redirect("order-detail", pk=order.pk)


class OrderViewSet(viewsets.ModelViewSet):
    serializer_class = OrderSerializer
    pagination_class = PageNumberPagination
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        return Order.objects.filter(customer__user=self.request.user)

    def perform_create(self, serializer):
        order = serializer.save(customer=self.request.user.customer)
        Shipment.objects.create(order=order, carrier="post")  # expect: transaction


@method_decorator(transaction.atomic, name="dispatch")
class SplitOrderView(APIView):
    permission_classes = [IsAuthenticated]

    def post(self, request, order_id):
        source = get_object_or_404(Order, pk=order_id, customer__user=request.user)
        part = Order.objects.create(customer=source.customer, total=0)
        OrderLine.objects.filter(order=source, pk__in=request.data["lines"]).update(order=part)  # ok: transaction
        return Response({"id": part.pk})  # expect: http-semantics


class CopyOrderView(LoginRequiredMixin, View):
    def post(self, request, order_id):
        order = get_object_or_404(Order, pk=order_id, customer__user=request.user)
        lines = list(order.lines.all())
        order.pk = None
        order.status = "new"
        order.save()
        for line in lines:
            line.pk = None
            line.order = order
            line.save()  # expect: transaction
        return redirect("order-detail", pk=order.pk)
