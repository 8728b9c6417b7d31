"""BL601's good and bad examples (tests and docs), per framework."""
from __future__ import annotations

from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from rest_framework.decorators import api_view
        from rest_framework.response import Response

        @api_view(["POST"])
        def create_order(request):
            serializer = OrderSerializer(data=request.data)
            serializer.is_valid(raise_exception=True)
            order = Order.objects.create(**serializer.validated_data, customer=request.user)
            return Response({"id": order.id}, status=201)
        """,
        id="drf-serializer",
        doc=True,
    ),
    Valid(
        """
        from django.shortcuts import redirect, render

        def new_post(request):
            form = PostForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                Post.objects.create(title=form.cleaned_data["title"], author=request.user)
                return redirect("posts")
            return render(request, "new_post.html", {"form": form})
        """,
        id="django-form",
    ),
    Valid(
        """
        from fastapi import APIRouter, Depends
        from pydantic import BaseModel, Field

        router = APIRouter()

        class ItemIn(BaseModel):
            name: str = Field(max_length=80)
            quantity: int = Field(ge=0)

        @router.post("/items")
        def create_item(item: ItemIn, db=Depends(get_db)):
            db.add(Item(name=item.name, quantity=item.quantity))
            db.commit()
        """,
        id="fastapi-typed-body",
        doc=True,
    ),
    Valid(
        """
        from flask import Blueprint, request

        bp = Blueprint("items", __name__)

        @bp.post("/items")
        def create_item():
            data = ItemSchema().load(request.get_json())
            db.session.add(Item(name=data["name"]))
            db.session.commit()
            return {"ok": True}, 201
        """,
        id="flask-marshmallow-load",
    ),
    Valid(
        """
        from flask import Blueprint, abort, request

        bp = Blueprint("stock", __name__)

        @bp.post("/stock/<int:item_id>")
        def adjust(item_id):
            delta = int(request.form["delta"])
            reason = request.form.get("reason", "")
            if reason not in REASONS:
                abort(400)
            StockMove.create(item_id=item_id, delta=delta, reason=reason)
            return "", 204
        """,
        id="converted-and-checked-values",
        note="a converted value and a value checked in an `if` are not raw any more",
    ),
    Valid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/notes")
        def add_note():
            note = Note(**request.get_json())
            db.session.add(note)
            db.session.commit()
            return "", 201
        """,
        id="splat-left-to-mass-assignment",
        note="`Model(**request.json)` is the mass-assignment rule's case",
    ),
]

INVALID = [
    Invalid(
        """
        from flask import Blueprint, request

        from .models import Post, db

        bp = Blueprint("posts", __name__)

        @bp.post("/posts")
        def create_post():
            title = request.form["title"]
            post = Post(title=title, body=request.form.get("body", ""))
            db.session.add(post)
            db.session.commit()
            return {"id": post.id}, 201
        """,
        id="flask-form-into-model",
        at=(10, 12),
        message='`title` (from `request.form["title"]`) reaches the `Post(...)` model in `create_post()` (`POST /posts`)',
        doc=True,
    ),
    Invalid(
        """
        from django.http import JsonResponse

        def update_profile(request):
            if request.method == "POST":
                profile = request.user.profile
                profile.bio = request.POST["bio"]
                profile.save()
            return JsonResponse({"ok": True})
        """,
        id="django-post-into-saved-record",
        at=(6, 9),
        message='`request.POST["bio"]` reaches `profile.bio` (then saved)',
        doc=True,
    ),
    Invalid(
        """
        import json

        from django.views.decorators.http import require_POST

        @require_POST
        def add_tag(request):
            payload = json.loads(request.body)
            Tag.objects.create(name=payload["name"], color=payload.get("color"))
            return HttpResponse(status=201)
        """,
        id="django-json-body-into-create",
        at=(8, 5),
        message="reaches `Tag.objects.create()`",
    ),
    Invalid(
        """
        from rest_framework.decorators import api_view
        from rest_framework.response import Response

        @api_view(["POST"])
        def refund(request, order_id):
            amount = request.data["amount"]
            Refund.objects.create(order_id=order_id, amount=amount)
            return Response(status=201)
        """,
        id="drf-request-data-without-serializer",
        at=(7, 5),
        message='`amount` (from `request.data["amount"]`) reaches `Refund.objects.create()`',
    ),
    Invalid(
        """
        from fastapi import FastAPI, Request

        app = FastAPI()

        @app.post("/events")
        async def record_event(request: Request):
            body = await request.json()
            await database.execute("INSERT INTO events (kind, payload) VALUES (:k, :p)", {"k": body["kind"], "p": body["payload"]})
            return {"ok": True}
        """,
        id="fastapi-raw-json-into-insert",
        at=(8, 11),
        message="reaches `database.execute()` (INSERT)",
    ),
    Invalid(
        """
        from aiohttp import web

        routes = web.RouteTableDef()

        @routes.post("/orders")
        async def place(request):
            form = await request.post()
            order_id = await orders_service.create_order(form["sku"], form["quantity"])
            return web.json_response({"id": order_id}, status=201)
        """,
        id="aiohttp-form-into-service-call",
        at=(8, 22),
        message="reaches `orders_service.create_order()`",
    ),
]
