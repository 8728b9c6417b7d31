"""BL961's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.astrule import Invalid, Valid
from backlint.finding import Confidence

VALID = [
    Valid(
        """
        from django.shortcuts import get_object_or_404, redirect, render
        from django.views.decorators.http import require_POST

        from blog.models import Post

        def post_detail(request, pk):
            post = get_object_or_404(Post, pk=pk)
            return render(request, "blog/post.html", {"post": post})

        @require_POST
        def post_delete(request, pk):
            post = get_object_or_404(Post, pk=pk, author=request.user)
            post.delete()
            return redirect("post-list")
        """,
        id="read-only-get-and-post-delete",
        note="the GET reads; the write is behind `@require_POST`",
        doc=True,
    ),
    Valid(
        """
        from django.shortcuts import redirect, render

        from shop.forms import AddressForm

        def address(request):
            if request.method == "POST":
                form = AddressForm(request.POST)
                if form.is_valid():
                    form.save()
                    return redirect("checkout")
            else:
                form = AddressForm()
            return render(request, "address.html", {"form": form})
        """,
        id="write-in-the-post-branch",
        doc=True,
    ),
    Valid(
        """
        from flask import Blueprint, jsonify

        from app.models import Item

        bp = Blueprint("items", __name__)

        @bp.route("/items/<int:item_id>")
        def get_item(item_id):
            item = Item.query.get(item_id)
            if item is None:
                return jsonify({"error": "not found"}), 404
            return jsonify(item.to_dict())
        """,
        id="error-with-a-status",
        note="the error body goes out with 404",
        doc=True,
    ),
    Valid(
        """
        from fastapi import APIRouter, Depends, status
        from sqlalchemy.orm import Session

        from app.db import get_db
        from app.models import Item

        router = APIRouter()

        @router.post("/items", status_code=status.HTTP_201_CREATED)
        def create_item(name: str, db: Session = Depends(get_db)):
            item = Item(name=name)
            db.add(item)
            db.commit()
            return item
        """,
        id="fastapi-create-201",
        doc=True,
    ),
    Valid(
        """
        from rest_framework import status
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from notes.serializers import NoteSerializer

        class NoteList(APIView):
            def post(self, request):
                serializer = NoteSerializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                serializer.save(owner=request.user)
                return Response(serializer.data, status=status.HTTP_201_CREATED)
        """,
        id="drf-create-201",
    ),
    Valid(
        """
        from django.http import JsonResponse

        def rpc(request):
            return JsonResponse({"jsonrpc": "2.0", "id": 1, "error": {"code": -32601, "message": "Method not found"}})
        """,
        id="json-rpc-error",
        note="JSON-RPC answers its errors with 200 by design",
    ),
]

INVALID = [
    Invalid(
        """
        from django.shortcuts import get_object_or_404, redirect
        from django.views.decorators.http import require_GET

        from blog.models import Post

        @require_GET
        def post_delete(request, pk):
            post = get_object_or_404(Post, pk=pk, author=request.user)
            post.delete()
            return redirect("post-list")
        """,
        id="delete-in-a-get-view",
        at=(9, 5),
        message="must not change server state",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from fastapi import APIRouter, Depends
        from sqlalchemy.orm import Session

        from app.db import get_db
        from app.models import Item

        router = APIRouter()

        @router.get("/items/{item_id}/archive")
        def archive_item(item_id: int, db: Session = Depends(get_db)):
            item = db.get(Item, item_id)
            item.archived = True
            db.commit()
            return {"archived": True}
        """,
        id="fastapi-get-commits-a-change",
        at=(13, 5),
        message="commits the changes made to `item`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from django.shortcuts import get_object_or_404, render

        from blog.models import Post

        def post_detail(request, pk):
            post = get_object_or_404(Post, pk=pk)
            if request.method == "GET":
                post.view_count += 1
                post.save(update_fields=["view_count"])
            return render(request, "blog/post.html", {"post": post})
        """,
        id="view-counter-on-get",
        at=(9, 9),
        message="bookkeeping meant",
        confidence=Confidence.LOW,
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask, jsonify, request

        app = Flask(__name__)

        @app.route("/api/orders", methods=["POST"])
        def create_order():
            data = request.get_json()
            if not data or "sku" not in data:
                return jsonify({"error": "sku is required"})
            return jsonify({"id": 1}), 201
        """,
        id="flask-error-with-200",
        at=(9, 9),
        message="with status 200",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from django.http import JsonResponse

        from accounts.models import Account

        def account_balance(request, pk):
            account = Account.objects.filter(pk=pk, owner=request.user).first()
            if account is None:
                return JsonResponse({"ok": False, "message": "no such account"})
            return JsonResponse({"ok": True, "balance": str(account.balance)})
        """,
        id="django-json-ok-false",
        at=(8, 9),
        message='`"ok": False`',
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from fastapi import APIRouter

        router = APIRouter()

        @router.get("/reports/{name}")
        def report(name: str):
            if name not in ("daily", "weekly"):
                return {"error": f"unknown report {name}"}
            return {"name": name}
        """,
        id="fastapi-dict-error",
        at=(8, 9),
        message="HTTPException",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from fastapi import APIRouter, Depends
        from sqlalchemy.orm import Session

        from app.db import get_db
        from app.models import Item
        from app.schemas import ItemIn

        router = APIRouter()

        @router.post("/items")
        def create_item(payload: ItemIn, db: Session = Depends(get_db)):
            item = Item(**payload.model_dump())
            db.add(item)
            db.commit()
            db.refresh(item)
            return item
        """,
        id="fastapi-create-200",
        at=(11, 1),
        message="status_code=201",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from notes.serializers import NoteSerializer

        class NoteList(APIView):
            def post(self, request):
                serializer = NoteSerializer(data=request.data)
                serializer.is_valid(raise_exception=True)
                serializer.save(owner=request.user)
                return Response(serializer.data)
        """,
        id="drf-create-200",
        at=(11, 9),
        message="HTTP_201_CREATED",
        confidence=Confidence.HIGH,
        doc=True,
    ),
]
