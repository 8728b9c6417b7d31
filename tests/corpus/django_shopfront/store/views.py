import csv

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from .models import Category, Order, Product, Review

MAX_SEARCH_RESULTS = 100


def product_feed(request):
    products = list(Product.objects.filter(active=True).values("id", "sku", "name", "price"))  # expect: pagination
    return JsonResponse({"products": products})


def catalogue(request):
    paginator = Paginator(Product.objects.filter(active=True).order_by("name").values("id", "name", "price"), 24)  # ok: pagination
    page = paginator.get_page(request.GET.get("page"))
    return JsonResponse({"products": list(page), "page": page.number, "pages": paginator.num_pages})


def search(request):
    q = request.GET.get("q", "").strip()
    limit = min(int(request.GET.get("limit", 20)), MAX_SEARCH_RESULTS)
    hits = Product.objects.filter(active=True, name__icontains=q).values("id", "name", "price")[:limit]  # ok: pagination
    return JsonResponse({"results": list(hits)})


def category_products(request, category_id):
    category = get_object_or_404(Category, pk=category_id)
    data = [{"id": p.pk, "name": p.name, "price": str(p.price)} for p in category.products.filter(active=True)]  # expect: pagination
    return JsonResponse({"category": category.name, "products": data})


def latest_reviews(request):
    reviews = Review.objects.order_by("-created_at").values("product_id", "rating", "text")[:20]  # ok: pagination
    return JsonResponse({"reviews": list(reviews)})


def product_detail(request, pk):
    product = get_object_or_404(Product.objects.values("id", "sku", "name", "price"), pk=pk)  # ok: pagination
    return JsonResponse(product)


@login_required
def order_history(request):
    orders = Order.objects.filter(customer=request.user).order_by("-created_at")  # expect: pagination
    return JsonResponse({"orders": [o.as_dict() for o in orders]})


class Echo:
    def write(self, value):
        return value


@staff_member_required
def export_orders_csv(request):
    writer = csv.writer(Echo())
    rows = (
        writer.writerow([o.pk, o.customer_id, o.status, o.total, o.created_at.isoformat()])
        for o in Order.objects.order_by("pk").iterator(chunk_size=2000)  # unclear: pagination
    )
    response = StreamingHttpResponse(rows, content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="orders.csv"'
    return response
