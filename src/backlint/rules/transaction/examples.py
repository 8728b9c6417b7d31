"""BL951's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from django.db import transaction

        from shop.models import Order, OrderLine

        def checkout(request, cart):
            with transaction.atomic():
                order = Order.objects.create(customer=request.user, total=cart.total)
                for item in cart.items:
                    OrderLine.objects.create(order=order, product=item.product, quantity=item.quantity)
            return order
        """,
        id="with-atomic",
        doc=True,
    ),
    Valid(
        """
        from django.db import transaction
        from django.contrib.auth.models import User

        from accounts.models import Profile

        @transaction.atomic
        def signup(request):
            user = User.objects.create_user(request.POST["username"], password=request.POST["password"])
            Profile.objects.create(user=user)
            return user
        """,
        id="decorated-atomic",
        doc=True,
    ),
    Valid(
        """
        from accounts.models import LoginEvent

        def login_done(request, user):
            user.save(update_fields=["last_login"])
            LoginEvent.objects.create(user=user, ip=request.META["REMOTE_ADDR"])
        """,
        id="side-records",
        note="a bookkeeping save and a log row: losing one leaves no broken data",
        doc=True,
    ),
    Valid(
        """
        from shop.models import Order, Product

        def restock(request, product_id):
            Product.objects.filter(pk=product_id).update(stock=100)
            order = Order.objects.create(customer=request.user)
            return order
        """,
        id="independent-writes",
        note="two writes that do not refer to each other",
    ),
    Valid(
        """
        from app.models import Order, OrderLine, db

        def place(items):
            order = Order()
            db.session.add(order)
            db.session.flush()
            for item in items:
                db.session.add(OrderLine(order_id=order.id, sku=item))
            db.session.commit()
        """,
        id="sqlalchemy-one-commit",
        note="SQLAlchemy: flush for the id, one commit at the end",
        doc=True,
    ),
    Valid(
        """
        from django.db import transaction

        from shop.models import Order, OrderLine

        def migrate_orders(rows):
            transaction.set_autocommit(False)
            order = Order.objects.create(ref=rows[0])
            OrderLine.objects.create(order=order)
            transaction.commit()
        """,
        id="manual-transaction",
    ),
]

INVALID = [
    Invalid(
        """
        from django.shortcuts import redirect

        from shop.models import Order, OrderLine

        def checkout(request):
            cart = request.session["cart"]
            order = Order.objects.create(customer=request.user, total=cart["total"])
            for item in cart["items"]:
                OrderLine.objects.create(order=order, product_id=item["id"], quantity=item["qty"])
            return redirect("order-detail", pk=order.pk)
        """,
        id="order-and-lines-in-a-view",
        at=(9, 9),
        message="refers to `order`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from celery import shared_task

        from bank.models import Account

        @shared_task
        def transfer(sender_id, receiver_id, amount):
            sender = Account.objects.get(pk=sender_id)
            receiver = Account.objects.get(pk=receiver_id)
            sender.balance -= amount
            sender.save()
            receiver.balance += amount
            receiver.save()
        """,
        id="transfer-in-a-task",
        at=(12, 5),
        message="balance change",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from django.contrib.auth.models import User

        from accounts.models import Profile

        def create_member(username, email):
            user = User.objects.create_user(username, email=email)
            Profile.objects.create(user=user, display_name=username)
            return user
        """,
        id="service-function",
        at=(7, 5),
        message="Is every caller",
        confidence=Confidence.LOW,
        note="a service function: its callers may run it inside atomic()",
    ),
    Invalid(
        """
        from flask import Blueprint

        from app.models import Order, OrderLine, db

        bp = Blueprint("orders", __name__)

        @bp.route("/orders", methods=["POST"])
        def create_order():
            order = Order(customer_id=1)
            db.session.add(order)
            db.session.commit()
            line = OrderLine(order_id=order.id, sku="A1")
            db.session.add(line)
            db.session.commit()
            return {"id": order.id}
        """,
        id="sqlalchemy-commit-between",
        at=(11, 5),
        message="db.session.flush()",
        confidence=Confidence.HIGH,
        doc=True,
    ),
]
