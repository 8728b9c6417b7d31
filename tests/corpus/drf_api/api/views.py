from string import Template

from django.db import connection
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Customer, Order
from .serializers import CustomerSerializer, OrderSerializer

CUSTOMERS_TABLE = "customers_customer"
ALLOWED_ORDERING = {"created_at", "total", "status"}
SEGMENT_QUERY = Template(
    "SELECT id, name, email FROM customers_customer WHERE country = '$country' AND tier = '$tier'"
)
COUNT_QUERY = Template("SELECT COUNT(*) FROM $table WHERE is_active")


def dictfetchall(cursor):
    columns = [col[0] for col in cursor.description]
    return [dict(zip(columns, row)) for row in cursor.fetchall()]


class OrderViewSet(viewsets.ReadOnlyModelViewSet):  # expect: pagination
    serializer_class = OrderSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        qs = Order.objects.filter(customer__user=self.request.user)  # ok: sqli
        status_param = self.request.query_params.get("status")
        if status_param:
            qs = qs.filter(status=status_param)  # ok: sqli
        return qs.order_by("-created_at")

    @action(detail=False, methods=["get"])
    def search(self, request):
        term = request.query_params.get("q", "")
        orders = Order.objects.raw(f"SELECT * FROM orders_order WHERE reference LIKE '%{term}%'")  # expect: sqli # expect: pagination # unclear: sql-antipattern
        return Response(OrderSerializer(orders, many=True).data)

    @action(detail=False, methods=["get"])
    def by_reference(self, request):
        ref = request.query_params.get("ref", "")
        orders = Order.objects.raw("SELECT * FROM orders_order WHERE reference = %s", [ref])  # ok: sqli # ok: pagination
        return Response(OrderSerializer(orders, many=True).data)

    @action(detail=False, methods=["get"])
    def ordered(self, request):
        ordering = self.request.query_params.get("ordering", "created_at")
        if ordering not in ALLOWED_ORDERING:
            raise ValidationError({"ordering": f"must be one of {sorted(ALLOWED_ORDERING)}"})
        direction = "DESC" if request.query_params.get("desc") in ("1", "true") else "ASC"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, reference, total FROM orders_order ORDER BY {ordering} {direction}")  # ok: sqli
            rows = dictfetchall(cursor)  # expect: pagination
        return Response(rows)


class OrderReportView(APIView):
    permission_classes = [IsAuthenticated]

    def get(self, request):
        ordering = self.request.query_params.get("ordering", "created_at")
        limit = self.request.query_params.get("limit", "50")
        sql = "SELECT id, reference, total FROM orders_order ORDER BY %s LIMIT %s" % (ordering, limit)
        with connection.cursor() as cursor:
            cursor.execute(sql)  # expect: sqli
            rows = dictfetchall(cursor)  # unclear: pagination
        return Response(rows)


class RegionStatsView(APIView):
    def get(self, request):
        params = request.query_params
        region = params.get("region")
        if region:
            where = "WHERE region = '" + region + "'"
        else:
            where = ""
        query = "SELECT region, COUNT(*) FROM customers_customer " + where + " GROUP BY region"
        with connection.cursor() as cursor:
            cursor.execute(query)  # expect: sqli
            stats = dict(cursor.fetchall())  # unclear: pagination
        return Response(stats)


class CustomerViewSet(viewsets.ModelViewSet):  # expect: pagination, authz
    serializer_class = CustomerSerializer
    queryset = Customer.objects.all()  # ok: sqli

    @action(detail=False, methods=["get"])
    def lookup(self, request):
        email = self.request.query_params.get("email", "")
        sql = "SELECT * FROM customers_customer WHERE email = '%(email)s'" % {"email": email}
        customers = Customer.objects.raw(sql)  # expect: sqli # ok: pagination
        return Response(CustomerSerializer(customers, many=True).data)

    @action(detail=False, methods=["get"])
    def segment(self, request):
        country = request.query_params.get("country", "NL")
        tier = request.query_params.get("tier", "gold")
        with connection.cursor() as cursor:
            cursor.execute(SEGMENT_QUERY.substitute(country=country, tier=tier))  # expect: sqli
            rows = dictfetchall(cursor)  # expect: pagination
        return Response(rows)

    @action(detail=False, methods=["get"])
    def active_count(self, request):
        with connection.cursor() as cursor:
            cursor.execute(COUNT_QUERY.substitute(table=CUSTOMERS_TABLE))  # ok: sqli
            (count,) = cursor.fetchone()
        return Response({"active": count})

    @action(detail=False, methods=["get"])
    def export(self, request):
        table = request.query_params.get("table", CUSTOMERS_TABLE)
        columns = request.query_params.get("fields", "id,name,email")
        with connection.cursor() as cursor:
            cursor.execute("SELECT {cols} FROM {table}".format(cols=columns, table=table))  # expect: sqli
            rows = dictfetchall(cursor)  # expect: pagination
        return Response(rows)

    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        new_name = request.data.get("name", "")
        with connection.cursor() as cursor:
            cursor.execute(f"UPDATE customers_customer SET name = '{new_name}' WHERE id = %s", [pk])  # expect: sqli
        return Response(status=status.HTTP_204_NO_CONTENT)

    @action(detail=True, methods=["post"])
    def set_tier(self, request, pk=None):
        tier = request.data.get("tier", "standard")
        with connection.cursor() as cursor:
            cursor.execute("UPDATE customers_customer SET tier = %s WHERE id = %s", [tier, pk])  # ok: sqli
        return Response(status=status.HTTP_204_NO_CONTENT)
