import psycopg2
from django.conf import settings
from django.db import connections
from django.http import Http404, JsonResponse
from pymongo import MongoClient
from rest_framework.response import Response
from rest_framework.views import APIView

from legacy.db import erp_connection
from warehouse.clients import events


def erp_price(request, sku):
    conn = psycopg2.connect(settings.LEGACY_DSN)  # expect: connection-pooling
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT price FROM erp_items WHERE sku = %s", [sku])
            row = cur.fetchone()
    finally:
        conn.close()
    if row is None:
        raise Http404
    return JsonResponse({"sku": sku, "price": str(row[0])})


def erp_stock(request, sku):
    with connections["legacy"].cursor() as cur:
        cur.execute("SELECT qty FROM erp_stock WHERE sku = %s", [sku])
        row = cur.fetchone()
    return JsonResponse({"sku": sku, "qty": row[0] if row else 0})


def last_event(request, sku):
    doc = events().find_one({"sku": sku}, sort=[("at", -1)])  # ok: connection-pooling
    return JsonResponse({"sku": sku, "event": (doc or {}).get("kind")})


class ShipmentTrackingView(APIView):
    def get(self, request, shipment_id):
        client = MongoClient(settings.MONGO_URL)  # expect: connection-pooling
        doc = client.warehouse.shipments.find_one({"_id": shipment_id}, {"status": 1})
        return Response({"status": (doc or {}).get("status")})


class SupplierView(APIView):
    def _erp(self):
        return psycopg2.connect(settings.LEGACY_DSN)  # expect: connection-pooling

    def get(self, request, supplier_id):
        with self._erp() as conn, conn.cursor() as cur:
            cur.execute("SELECT name FROM erp_suppliers WHERE id = %s", [supplier_id])
            row = cur.fetchone()
        return Response({"name": row[0] if row else None})


def erp_supplier_count(request):
    conn = erp_connection()  # expect: connection-pooling
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT count(*) FROM erp_suppliers")
            return JsonResponse({"suppliers": cur.fetchone()[0]})
    finally:
        conn.close()
