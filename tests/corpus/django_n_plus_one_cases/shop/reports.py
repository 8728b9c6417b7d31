"""Back-office reports: each function returns at most a few hundred rows."""
from django.db.models import Count, Prefetch, Sum, prefetch_related_objects

from shop.models import Customer, Line, Order, Region


def order_rows(since):
    rows = []
    for order in Order.objects.filter(created__gte=since)[:200]:
        rows.append((order.reference, order.customer.name))  # expect: n-plus-one
    return rows


def order_rows_joined(since):
    orders = Order.objects.filter(created__gte=since).select_related("customer")
    return [(o.reference, o.customer.name) for o in orders[:200]]  # ok: n-plus-one


def order_rows_joined_later(since):
    orders = Order.objects.filter(created__gte=since)
    orders = orders.select_related("customer__region").order_by("-created")
    return [(o.reference, o.customer.name) for o in orders[:200]]  # ok: n-plus-one


def order_customer_keys(since):
    return [o.customer_id for o in Order.objects.filter(created__gte=since)[:200]]  # ok: n-plus-one


def order_labels(since):
    return [o.label for o in Order.objects.filter(created__gte=since)[:200]]  # ok: n-plus-one


def tag_summary():
    summary = {}
    for order in Order.objects.all()[:100]:
        summary[order.reference] = [t.label for t in order.tags.all()]  # expect: n-plus-one
    return summary


def tag_summary_prefetched():
    summary = {}
    for order in Order.objects.prefetch_related("tags")[:100]:
        summary[order.reference] = [t.label for t in order.tags.all()]  # ok: n-plus-one
    return summary


def line_counts():
    qs = Order.objects.all()
    return {o.reference: o.line_set.count() for o in qs[:100]}  # expect: n-plus-one


def line_counts_annotated():
    qs = Order.objects.annotate(lines=Count("line"))
    return {o.reference: o.lines for o in qs[:100]}  # ok: n-plus-one


def region_customers():
    out = {}
    regions = Region.objects.prefetch_related(Prefetch("customers", queryset=Customer.objects.order_by("name")))
    for region in regions:
        out[region.name] = [c.name for c in region.customers.all()]  # ok: n-plus-one
    return out


def big_orders_per_customer():
    out = {}
    for customer in Customer.objects.prefetch_related("orders")[:50]:
        out[customer.name] = customer.orders.filter(total__gte=1000).count()  # expect: n-plus-one
    return out


def order_counts_prefetched():
    return {c.name: c.orders.count() for c in Customer.objects.prefetch_related("orders")[:50]}  # ok: n-plus-one


def loyalty(since):
    customers = Customer.objects.filter(orders__created__gte=since).distinct()
    return [(c.name, c.profile.loyalty_tier) for c in customers[:100]]  # expect: n-plus-one


def loyalty_joined(since):
    customers = Customer.objects.filter(orders__created__gte=since).select_related("profile").distinct()
    return [(c.name, c.profile.loyalty_tier) for c in customers[:100]]  # ok: n-plus-one


def creators():
    return sorted({o.created_by.username for o in Order.objects.all()[:100]})  # expect: n-plus-one


def customer_totals():
    totals = {}
    for customer in Customer.objects.all()[:100]:
        totals[customer.name] = Order.objects.filter(customer=customer).aggregate(s=Sum("total"))["s"]  # expect: n-plus-one
    return totals


def customer_totals_grouped():
    rows = Order.objects.values("customer__name").annotate(s=Sum("total"))[:100]
    return {row["customer__name"]: row["s"] for row in rows}  # ok: n-plus-one


def tagged(ids):
    orders = list(Order.objects.filter(pk__in=ids[:100]))
    prefetch_related_objects(orders, "tags")
    return {o.reference: [t.label for t in o.tags.all()] for o in orders}  # ok: n-plus-one


def region_names(customers):
    return [c.region.name for c in customers]  # ok: n-plus-one


def line_customers(order_ids):
    for line in Line.objects.filter(order_id__in=order_ids[:100]).select_related("order__customer"):
        yield line.sku, line.order.customer.name  # ok: n-plus-one


def reassigned(default_customer):
    changed = []
    for order in Order.objects.filter(customer__isnull=True)[:100]:
        order.customer = default_customer
        changed.append(order.customer.name)  # ok: n-plus-one
    return changed
