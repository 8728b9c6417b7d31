"""Back-office reports shown under "Reports" in the Django admin."""
import csv
import logging
from datetime import timedelta

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.db import connection, connections
from django.db.models import Count, F, Q, Sum
from django.db.models.expressions import RawSQL
from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from shop.models import Customer, Order

log = logging.getLogger(__name__)

ORDER_TABLE = Order._meta.db_table
REPORT_DAYS = 30
REGIONS = ("emea", "amer", "apac")
SORTABLE = {"revenue": "total_revenue", "orders": "order_count", "name": "c.last_name"}
EXPORTABLE = ("shop_order", "shop_customer", "shop_refund")


@staff_member_required
@require_GET
def revenue_by_customer(request):
    order_col = SORTABLE.get(request.GET.get("sort", "revenue"), "total_revenue")
    direction = "ASC" if request.GET.get("dir") == "asc" else "DESC"
    days = int(request.GET.get("days", REPORT_DAYS))
    sql = f"""
        SELECT c.id, c.first_name, c.last_name,
               COUNT(o.id) AS order_count, SUM(o.total) AS total_revenue
        FROM shop_customer c
        JOIN {ORDER_TABLE} o ON o.customer_id = c.id
        WHERE o.created_at >= now() - interval '{days} days'
        GROUP BY c.id
        ORDER BY {order_col} {direction}
    """
    with connection.cursor() as cursor:
        cursor.execute(sql)  # ok: sqli
        rows = cursor.fetchall()  # expect: pagination
    return render(request, "admin/reports/revenue.html", {"rows": rows})


@staff_member_required
def regional_orders(request, region):
    # one partition per sales region: shop_order_emea, shop_order_amer, ...
    if region not in REGIONS:
        raise Http404("unknown region")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, total FROM shop_order_{region} WHERE created_at >= %s", [timezone.now() - timedelta(days=7)])  # ok: sqli
        return JsonResponse({"orders": cursor.fetchall()})  # expect: pagination


@staff_member_required
def customers_in_region(request):
    region = request.GET.get("region", "emea")
    if region not in REGIONS:
        return HttpResponseBadRequest("bad region")
    customers = Customer.objects.raw(f"SELECT * FROM shop_customer WHERE region = '{region}'")  # ok: sqli # expect: pagination
    return render(request, "admin/reports/customers.html", {"customers": customers})


@staff_member_required
def top_products(request):
    limit = request.GET.get("limit", "20")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT product_id, SUM(qty) AS sold FROM shop_orderline GROUP BY product_id ORDER BY sold DESC LIMIT %s" % limit  # expect: sqli
        )
        return JsonResponse({"top": cursor.fetchall()})  # unclear: pagination


@staff_member_required
def top_products_v2(request):
    try:
        limit = max(1, min(int(request.GET.get("limit", 20)), 100))
    except ValueError:
        return HttpResponseBadRequest("limit must be a number")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT product_id, SUM(qty) AS sold FROM shop_orderline GROUP BY product_id ORDER BY sold DESC LIMIT %s" % limit  # ok: sqli
        )
        return JsonResponse({"top": cursor.fetchall()})  # ok: pagination


@staff_member_required
def search_orders(request):
    q = request.GET.get("q", "").strip()
    qs = Order.objects.extra(where=["reference LIKE %s"], params=[f"%{q}%"])  # ok: sqli # expect: pagination
    legacy = Order.objects.extra(where=[f"legacy_reference LIKE '%%{q}%%'"])  # expect: sqli # expect: pagination
    return render(request, "admin/reports/orders.html", {"orders": qs, "legacy": legacy})


@staff_member_required
def orders_since(request):
    since = request.GET["since"]
    orders = Order.objects.annotate(  # expect: pagination
        open_days=RawSQL("EXTRACT(day FROM now() - created_at)", []),  # ok: sqli
        is_recent=RawSQL(f"created_at > '{since}'", ()),  # expect: sqli
    )
    return render(request, "admin/reports/orders.html", {"orders": orders})


@staff_member_required
def stale_carts(request):
    days = request.GET.get("days", "14")
    table = "shop_cart"
    sql = "SELECT id, customer_id FROM {table} WHERE updated_at < now() - interval '{days} days'".format(**locals())
    with connection.cursor() as c:
        c.execute(sql)  # expect: sqli
        return JsonResponse({"carts": c.fetchall()})  # expect: pagination


@staff_member_required
def export_table(request, table):
    # /admin/reports/export/<str:table>/
    response = HttpResponse(content_type="text/csv")
    writer = csv.writer(response)
    with connections["reporting"].cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # expect: sqli
        writer.writerows(cursor.fetchall())  # unclear: pagination
    return response


@staff_member_required
def export_known_table(request, table):
    if table not in EXPORTABLE:
        raise Http404
    quoted = connection.ops.quote_name(table)
    response = HttpResponse(content_type="text/csv")
    with connections["reporting"].cursor() as cursor:
        cursor.execute("SELECT * FROM %s" % quoted)  # ok: sqli
        csv.writer(response).writerows(cursor.fetchall())  # unclear: pagination
    return response


@staff_member_required
def refunds_for(request):
    customer_ids = [int(pk) for pk in request.GET.getlist("customer")]
    id_list = ", ".join(map(str, customer_ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id, amount FROM shop_refund WHERE customer_id IN ({id_list})")  # ok: sqli
        return JsonResponse({"refunds": cursor.fetchall()})  # expect: pagination


@staff_member_required
def refunds_by_reason(request):
    reasons = request.GET.getlist("reason")
    in_list = ", ".join("'%s'" % r for r in reasons)
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, amount FROM shop_refund WHERE reason IN (" + in_list + ")")  # expect: sqli
        return JsonResponse({"refunds": cursor.fetchall()})  # expect: pagination


@staff_member_required
def customer_lookup(request):
    email = request.GET.get("email", "")
    log.info("admin lookup: SELECT * FROM shop_customer WHERE email = '%s'" % email)  # ok: sqli
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, first_name, last_name FROM shop_customer WHERE email = %s", [email])  # ok: sqli
        row = cursor.fetchone()  # ok: pagination
    return JsonResponse({"customer": row})


@staff_member_required
def customer_notes(request, customer_id):
    term = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT body FROM shop_customernote WHERE customer_id = %s AND body ILIKE %s",  # ok: sqli
            [customer_id, "%" + term + "%"],
        )
        return JsonResponse({"notes": cursor.fetchall()})  # expect: pagination


def _date_window(days):
    return "created_at >= now() - interval '%d days'" % days


@staff_member_required
def weekly_signups(request):  # ok: rate-limit
    with connection.cursor() as cursor:
        cursor.execute("SELECT date_trunc('week', created_at), COUNT(*) FROM shop_customer WHERE " + _date_window(7) + " GROUP BY 1")  # ok: sqli
        return JsonResponse({"weeks": cursor.fetchall()})  # unclear: pagination


class RefundInline(admin.TabularInline):
    model = Order
    extra = 0


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("reference", "customer", "total", "status")
    search_fields = ("reference", "customer__email")
    actions = ["mark_shipped", "recalculate_totals"]

    STATUS_SQL = "SELECT status, COUNT(*) FROM shop_order WHERE created_at >= %s GROUP BY status"

    def changelist_view(self, request, extra_context=None):
        since = timezone.now() - timedelta(days=REPORT_DAYS)
        with connection.cursor() as cursor:
            cursor.execute(self.STATUS_SQL, [since])  # ok: sqli
            extra_context = {**(extra_context or {}), "status_counts": dict(cursor.fetchall())}  # ok: pagination
        return super().changelist_view(request, extra_context=extra_context)

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term.isdigit():
            queryset |= self.model.objects.extra(where=["legacy_id = %s"], params=[search_term])  # ok: sqli
        elif search_term.startswith("ext:"):
            queryset |= self.model.objects.extra(where=["external_ref = '%s'" % search_term[4:]])  # expect: sqli
        return queryset, may_have_duplicates

    @admin.action(description="Mark selected orders as shipped")
    def mark_shipped(self, request, queryset):
        ids = list(queryset.values_list("id", flat=True))
        placeholders = ", ".join(["%s"] * len(ids))
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE shop_order SET status = 'shipped' WHERE id IN ({placeholders})", ids)  # ok: sqli
        messages.success(request, f"{len(ids)} orders shipped")

    @admin.action(description="Recalculate totals")
    def recalculate_totals(self, request, queryset):
        ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE shop_order o SET total = (SELECT SUM(price * qty) FROM shop_orderline l WHERE l.order_id = o.id) WHERE o.id IN ({ids})"  # expect: sqli
            )

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.annotate(line_count=Count("lines"), gross=Sum(F("lines__price") * F("lines__qty"))).filter(  # ok: sqli # ok: pagination
            Q(status="paid") | Q(status="shipped")
        )
