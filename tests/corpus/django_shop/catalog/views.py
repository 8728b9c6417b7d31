import logging

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from .models import Category, Product

logger = logging.getLogger(__name__)

PAGE_SIZE = 24
SORT_COLUMNS = {"price": "price", "name": "name", "newest": "created_at"}


def _rows_as_dicts(cursor):
    columns = [col[0] for col in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


@require_GET
def product_list(request):
    products = Product.objects.active().order_by("name")  # ok: sqli # ok: pagination
    category = request.GET.get("category")
    if category:
        products = products.in_category(category)
    paginator = Paginator(products, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    return render(request, "catalog/product_list.html", {"page": page})


@require_GET
def category_detail(request, slug):
    category = get_object_or_404(Category, slug=slug)  # ok: sqli # ok: pagination
    return render(request, "catalog/category.html", {"category": category})


@require_GET
def search(request):
    q = request.GET.get("q", "").strip()
    results = Product.objects.raw(  # expect: pagination
        "SELECT * FROM catalog_product WHERE name LIKE %s ORDER BY name",  # ok: sqli
        [f"%{q}%"],  # ok: sqli
    )
    logger.debug(f"select products from catalog matching {q!r}")  # ok: sqli
    return render(request, "catalog/search.html", {"results": results, "q": q})


@require_GET
def search_legacy(request):
    q = request.GET.get("q", "")
    sql = "SELECT * FROM catalog_product WHERE name LIKE '%" + q + "%'"  # unclear: sql-antipattern
    results = list(Product.objects.raw(sql))  # expect: sqli # expect: pagination
    return render(request, "catalog/search.html", {"results": results, "q": q})


@require_GET
def product_detail(request, pk):
    product = Product.objects.raw(f"SELECT * FROM catalog_product WHERE id = {pk}")[0]  # expect: sqli # ok: pagination
    return render(request, "catalog/product.html", {"product": product})


@require_GET
def price_table(request):
    sort = request.GET.get("sort", "name")
    direction = request.GET.get("dir", "ASC")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, sku, name, price FROM catalog_product ORDER BY {sort} {direction}"  # expect: sqli
        )
        rows = _rows_as_dicts(cursor)  # expect: pagination
    return JsonResponse({"rows": rows})


@require_GET
def price_table_v2(request):
    column = SORT_COLUMNS.get(request.GET.get("sort"), "name")
    direction = "DESC" if request.GET.get("desc") == "1" else "ASC"
    try:
        page = int(request.GET.get("page", "1"))
    except ValueError:
        return HttpResponseBadRequest("page must be a number")
    offset = (page - 1) * PAGE_SIZE
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, sku, name, price FROM catalog_product ORDER BY {column} {direction} "  # ok: sqli
            f"LIMIT {PAGE_SIZE} OFFSET {offset}"
        )
        rows = _rows_as_dicts(cursor)  # ok: pagination
    return JsonResponse({"rows": rows, "page": page})


@require_GET
def premium_badges(request):
    threshold = request.GET.get("threshold", "100")
    products = Product.objects.extra(select={"is_premium": "price > %s" % threshold})  # expect: sqli # expect: pagination
    return render(request, "catalog/badges.html", {"products": products})


@require_GET
def premium_badges_v2(request):
    threshold = request.GET.get("threshold", "100")
    products = Product.objects.extra(select={"is_premium": "price > %s"}, select_params=(threshold,))  # ok: sqli # expect: pagination
    return render(request, "catalog/badges.html", {"products": products})


@require_GET
def category_counts(request):
    parent = request.GET.get("parent")
    with connection.cursor() as cursor:
        if parent:
            cursor.execute(
                "SELECT c.name, COUNT(p.id) FROM catalog_category c "  # ok: sqli
                "LEFT JOIN catalog_product p ON p.category_id = c.id "
                "WHERE c.parent_id = %s GROUP BY c.name",
                [parent],
            )
        else:
            cursor.execute("SELECT c.name, COUNT(p.id) FROM catalog_category c LEFT JOIN catalog_product p ON p.category_id = c.id GROUP BY c.name")  # ok: sqli
        counts = dict(cursor.fetchall())  # unclear: pagination
    return JsonResponse(counts)


@require_GET
def stock_widget(request):
    warehouse = request.GET.get("warehouse", "MAIN")
    products = Product.objects.active().with_stock(warehouse)[:10]  # ok: pagination
    return render(request, "catalog/stock_widget.html", {"products": products})
