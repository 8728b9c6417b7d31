"""BL971's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.astrule import Invalid, Valid
from backlint.finding import Confidence

VALID = [
    Valid(
        """
        import logging

        from django.http import JsonResponse

        from shop.models import Order

        logger = logging.getLogger(__name__)

        def cancel(request, pk):
            order = Order.objects.get(pk=pk)
            order.status = "cancelled"
            try:
                order.save()
            except Exception:
                logger.exception("could not cancel order %s", pk)
                return JsonResponse({"error": "could not cancel"}, status=500)
            return JsonResponse({"ok": True})
        """,
        id="logs-and-answers-an-error",
        doc=True,
    ),
    Valid(
        """
        from django.db import IntegrityError
        from django.http import JsonResponse

        from shop.models import Subscriber

        def subscribe(request):
            try:
                Subscriber.objects.create(email=request.POST["email"])
            except IntegrityError:
                pass  # already subscribed
            return JsonResponse({"ok": True})
        """,
        id="narrow-except",
        note="only the exception the code expects is caught",
        doc=True,
    ),
    Valid(
        """
        from django.core.cache import cache
        from django.http import JsonResponse

        def refresh(request):
            try:
                cache.delete("catalog")
            except Exception:
                pass
            return JsonResponse({"ok": True})
        """,
        id="best-effort-cache",
        note="the try body writes nothing to the database: bandit's B110 still reports the syntax",
        doc=True,
    ),
    Valid(
        """
        from shop.models import Order

        def archive(order_ids):
            for pk in order_ids:
                try:
                    Order.objects.filter(pk=pk).update(archived=True)
                except Exception:
                    raise
        """,
        id="re-raises",
    ),
    Valid(
        """
        from shop.models import Upload

        def store(request, data):
            upload = Upload.objects.create(owner=request.user)
            try:
                upload.file.save("data.bin", data)
            except Exception:
                try:
                    upload.delete()
                except Exception:
                    pass
                raise
        """,
        id="cleanup-in-an-except",
        note="a best-effort cleanup inside a handler that re-raises",
    ),
    Valid(
        """
        from accounts.models import LoginEvent

        def login_done(request, user):
            try:
                LoginEvent.objects.create(user=user)
                user.save(update_fields=["last_login"])
            except Exception:
                pass
        """,
        id="side-records",
        note="a log row and a bookkeeping save: losing them leaves no broken data",
    ),
    Valid(
        """
        from celery import shared_task

        from shop.models import Order

        @shared_task
        def close_stale_orders():
            for order in Order.objects.filter(stale=True):
                try:
                    order.close()
                except Exception:
                    failed.append(order.pk)
        """,
        id="task-records-the-failure",
    ),
    Valid(
        """
        from flask import Flask, jsonify

        app = Flask(__name__)

        @app.post("/orders/<int:pk>/pay")
        def pay(pk):
            try:
                charge(pk)
            except Exception:
                return jsonify(ok=False), 502
            return jsonify(ok=True)
        """,
        id="answers-an-error-status",
    ),
]

INVALID = [
    Invalid(
        """
        from django.http import JsonResponse

        from shop.models import Order

        def cancel(request, pk):
            order = Order.objects.get(pk=pk)
            order.status = "cancelled"
            try:
                order.save()
            except Exception:
                pass
            return JsonResponse({"ok": True})
        """,
        id="view-swallows-a-write",
        at=(10, 5),
        message="the failure of `order.save()`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from flask import Blueprint, jsonify

        from app.extensions import db
        from app.models import Order

        bp = Blueprint("orders", __name__)

        @bp.route("/orders", methods=["POST"])
        def create_order():
            try:
                db.session.add(Order(total=0))
                db.session.commit()
            except:
                db.session.rollback()
                return jsonify({"status": "success"})
            return jsonify({"status": "success"}), 201
        """,
        id="flask-answers-success-after-rollback",
        at=(13, 5),
        message="answers `jsonify({\"status\": \"success\"})` after the failure",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from celery import shared_task

        from billing.models import Invoice

        @shared_task
        def send_invoices(ids):
            for pk in ids:
                try:
                    invoice = Invoice.objects.get(pk=pk)
                    invoice.sent = True
                    invoice.save()
                except Exception:
                    continue
        """,
        id="task-swallows-a-write",
        at=(12, 9),
        message="the task is recorded as a success and never retried",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from django.core.management.base import BaseCommand

        from shop.models import Product

        class Command(BaseCommand):
            def handle(self, *args, **options):
                for row in load_rows(options["path"]):
                    try:
                        Product.objects.update_or_create(sku=row["sku"], defaults=row)
                    except (ValueError, Exception):
                        pass
        """,
        id="command-swallows-a-write",
        at=(10, 13),
        message="management command",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from rest_framework.decorators import api_view
        from rest_framework.response import Response

        @api_view(["POST"])
        def notify(request):
            try:
                send_push(request.user, request.data["text"])
            except Exception:
                return Response({"ok": True})
            return Response({"ok": True})
        """,
        id="view-answers-success-after-any-failure",
        at=(8, 5),
        message="Is `send_push(...)` best effort",
        confidence=Confidence.LOW,
        doc=True,
    ),
    Invalid(
        """
        from shop.models import Payment

        def record_payment(order, amount):
            try:
                Payment.objects.create(order=order, amount=amount)
            except Exception:
                pass
        """,
        id="service-swallows-a-write",
        at=(6, 5),
        message="Do the callers need to know",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from fastapi import APIRouter
        from sqlalchemy.orm import Session

        router = APIRouter()

        @router.delete("/items/{item_id}")
        def delete_item(item_id: int, session: Session):
            try:
                session.delete(session.get(Item, item_id))
                session.commit()
            except Exception:
                return None
        """,
        id="fastapi-return-none-is-200",
        at=(11, 5),
        message="answers 200 with an empty body",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from contextlib import suppress

        from django.http import HttpResponse
        from django.views.decorators.http import require_POST

        @require_POST
        def logout_everywhere(request):
            with suppress(Exception):
                request.user.auth_token.delete()
            return HttpResponse(status=204)
        """,
        id="suppress-exception",
        at=(8, 10),
        message="`with suppress(Exception):`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from django.http import JsonResponse

        from shop.models import Order

        def cancel(request, pk):
            try:
                Order.objects.filter(pk=pk).update(status="cancelled")
            except Exception:
                pass  # the reaper cancels it later anyway
            return JsonResponse({"ok": True})
        """,
        id="commented-except-is-low",
        at=(8, 5),
        message="explains itself in a comment",
        confidence=Confidence.LOW,
    ),
]
