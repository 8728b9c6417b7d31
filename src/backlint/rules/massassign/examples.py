"""BL841's good and bad examples (tests and docs). Each example is a project of one file; in
a real project the model, the serializer and the view usually live in three modules, and
the rule reads them through the project facts."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from flask import Blueprint, jsonify, request
        from pydantic import BaseModel

        from app.models import User, db

        bp = Blueprint("users", __name__)

        class UserCreate(BaseModel):
            name: str
            email: str

        @bp.post("/users")
        def create_user():
            payload = UserCreate(**request.get_json())
            user = User(**payload.model_dump())
            db.session.add(user)
            db.session.commit()
            return jsonify(id=user.id), 201
        """,
        id="pydantic-schema-in-between",
        doc=True,
        note="the schema declares the two fields a client may set; its dump carries only those",
    ),
    Valid(
        """
        from flask import request

        from app.models import Post, db

        EDITABLE = {"title", "body", "tags"}

        @app.patch("/posts/<int:post_id>")
        def edit_post(post_id):
            post = Post.query.get_or_404(post_id)
            for key, value in request.json.items():
                if key not in EDITABLE:
                    continue
                setattr(post, key, value)
            db.session.commit()
            return "", 204
        """,
        id="setattr-loop-with-allow-list",
        doc=True,
    ),
    Valid(
        """
        from flask import request

        from app.models import Post, db

        ALLOWED = ("title", "body")

        @app.post("/posts")
        def create_post():
            data = {k: v for k, v in request.get_json().items() if k in ALLOWED}
            post = Post(**data, author_id=current_user.id)
            db.session.add(post)
            db.session.commit()
            return {"id": post.id}, 201
        """,
        id="comprehension-filtered-by-allow-list",
    ),
    Valid(
        """
        from django.contrib.auth.models import User
        from rest_framework import serializers, viewsets

        class UserSerializer(serializers.ModelSerializer):
            class Meta:
                model = User
                fields = "__all__"

        class UserDirectory(viewsets.ReadOnlyModelViewSet):
            queryset = User.objects.all()
            serializer_class = UserSerializer
        """,
        id="all-fields-serializer-on-a-read-only-viewset",
        note="nothing is written through the serializer",
    ),
    Valid(
        """
        from django.db import models
        from rest_framework import generics, serializers

        class Note(models.Model):
            owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)
            text = models.TextField()

        class NoteSerializer(serializers.ModelSerializer):
            class Meta:
                model = Note
                fields = "__all__"
                read_only_fields = ["owner"]

        class NoteCreate(generics.CreateAPIView):
            serializer_class = NoteSerializer
        """,
        id="privileged-field-read-only",
    ),
    Valid(
        """
        from django.db import models
        from rest_framework import generics, serializers

        class Note(models.Model):
            owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)
            text = models.TextField()

        class NoteSerializer(serializers.ModelSerializer):
            class Meta:
                model = Note
                fields = "__all__"

        class NoteCreate(generics.CreateAPIView):
            serializer_class = NoteSerializer

            def perform_create(self, serializer):
                serializer.save(owner=self.request.user)
        """,
        id="owner-set-by-the-view-on-every-write",
        note="the view only creates, and `save(owner=...)` overrides what the client sent",
    ),
    Valid(
        """
        from django import forms
        from django.contrib.admin.views.decorators import staff_member_required
        from django.db import models
        from django.shortcuts import redirect, render

        class Badge(models.Model):
            owner = models.ForeignKey("auth.User", on_delete=models.CASCADE)
            label = models.CharField(max_length=40)

        class BadgeForm(forms.ModelForm):
            class Meta:
                model = Badge
                fields = "__all__"

        @staff_member_required
        def award_badge(request):
            form = BadgeForm(request.POST or None)
            if form.is_valid():
                form.save()
                return redirect("badges")
            return render(request, "badge_form.html", {"form": form})
        """,
        id="model-form-on-a-staff-only-page",
        note="only staff reach the page: choosing the owner is its purpose, as in the admin",
    ),
    Valid(
        """
        from flask import jsonify, request

        from app.models import User, db

        @app.post("/users")
        def create_user():
            data = request.get_json()
            user = User(name=data["name"], email=data["email"])
            db.session.add(user)
            db.session.commit()
            preferences = {}
            preferences.update(request.json)
            return jsonify(id=user.id, preferences=preferences), 201
        """,
        id="fields-by-name-and-a-plain-dict",
    ),
    Valid(
        """
        from fastapi import APIRouter, Depends

        from app.auth import current_user
        from app.models import AuditEntry

        router = APIRouter()

        @router.post("/audit")
        async def record(entry: AuditEntry, user: dict = Depends(current_user), session=Depends(get_session)):
            row = AuditEntry(**user)
            session.add(row)
            return {"ok": True}
        """,
        id="fastapi-dependency-typed-dict",
        note="a `dict` parameter with `Depends(...)` is what the dependency returns, not the request body",
    ),
    Valid(
        """
        from flask import request
        from marshmallow import Schema, fields

        from app.models import Order, db

        class OrderSchema(Schema):
            sku = fields.Str(required=True)
            quantity = fields.Int(required=True)

        @app.post("/orders")
        def create_order():
            data = OrderSchema().load(request.json)
            order = Order(**data)
            db.session.add(order)
            db.session.commit()
            return {"id": order.id}, 201
        """,
        id="marshmallow-load",
    ),
]

INVALID = [
    Invalid(
        """
        from flask import Blueprint, jsonify, request

        from app.models import User, db

        bp = Blueprint("users", __name__)

        @bp.post("/users")
        def create_user():
            user = User(**request.get_json())
            db.session.add(user)
            db.session.commit()
            return jsonify(id=user.id), 201
        """,
        id="flask-model-from-whole-body",
        at=(9, 12),
        message="`User(**request.get_json())` builds a model from every key the client sends",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from flask import request
        from flask_sqlalchemy import SQLAlchemy

        db = SQLAlchemy()

        class Account(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            email = db.Column(db.String(120))
            is_admin = db.Column(db.Boolean, default=False)

        @app.route("/accounts", methods=["POST"])
        def signup():
            data = request.get_json() or {}
            data["email"] = data.get("email", "").lower()
            account = Account(**data)
            db.session.add(account)
            db.session.commit()
            return {"id": account.id}, 201
        """,
        id="through-a-local-to-a-model-with-an-admin-flag",
        at=(15, 15),
        message="including `is_admin`",
    ),
    Invalid(
        """
        from django.contrib.auth.models import User
        from rest_framework import serializers, viewsets

        class UserSerializer(serializers.ModelSerializer):
            class Meta:
                model = User
                fields = "__all__"

        class UserViewSet(viewsets.ModelViewSet):
            queryset = User.objects.all()
            serializer_class = UserSerializer
        """,
        id="drf-all-fields-serializer-on-a-model-viewset",
        at=(7, 9),
        message="a client can set `password`, `is_staff`, `is_active`, `is_superuser`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from shop.models import Order

        class OrderList(APIView):
            def post(self, request):
                order = Order.objects.create(**request.data)
                return Response({"id": order.pk}, status=201)
        """,
        id="drf-objects-create",
        at=(8, 17),
        message="`Order.objects.create()` writes the whole of `request.data`",
    ),
    Invalid(
        """
        from django.http import JsonResponse

        from accounts.models import Profile

        def update_profile(request):
            Profile.objects.filter(user=request.user).update(**request.POST.dict())
            return JsonResponse({"ok": True})
        """,
        id="django-queryset-update",
        at=(6, 5),
        message="`ModelForm` with `fields = [...]`",
    ),
    Invalid(
        """
        from rest_framework.response import Response
        from rest_framework.views import APIView

        from accounts.models import Member

        class MyProfile(APIView):
            def patch(self, request):
                mine = Member.objects.filter(pk=request.user.pk)
                mine.update(**request.data)
                return Response(status=204)
        """,
        id="queryset-held-in-a-local",
        at=(9, 9),
        message="`mine.update()` writes the whole of `request.data`",
    ),
    Invalid(
        """
        from flask import request

        from app.models import User, db

        @app.patch("/users/<int:uid>")
        def update_user(uid):
            user = User.query.get_or_404(uid)
            for key, value in request.json.items():
                if hasattr(user, key):
                    setattr(user, key, value)
            db.session.commit()
            return "", 204
        """,
        id="setattr-loop-checking-only-that-the-attribute-exists",
        at=(10, 13),
        message="`setattr(user, key, ...)` in a loop over `request.json`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from fastapi import APIRouter, Depends

        from app.db import get_session
        from app.models import Item

        router = APIRouter()

        @router.post("/items")
        async def create_item(payload: dict, session=Depends(get_session)):
            item = Item(**payload)
            session.add(item)
            await session.commit()
            return {"id": item.id}
        """,
        id="fastapi-bare-dict-body",
        at=(10, 12),
        message="pydantic model",
    ),
    Invalid(
        """
        from starlette.responses import JSONResponse

        from app.tables import users

        async def create(request):
            await database.execute(users.insert().values(**await request.json()))
            return JSONResponse({}, status_code=201)
        """,
        id="starlette-core-insert",
        at=(6, 28),
        message="writes the whole of `await request.json()`",
    ),
    Invalid(
        """
        from flask import request

        from app.models import User, db

        @app.post("/users")
        def create_user():
            data = request.get_json()
            data.pop("is_admin", None)
            user = User(**data)
            db.session.add(user)
            db.session.commit()
            return {"id": user.id}, 201
        """,
        id="deny-list-pop",
        at=(9, 12),
        message="(`is_admin` is removed first, a deny-list: every other key still gets through)",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from flask import request

        @app.put("/profiles/<pid>")
        def replace_profile(pid):
            mongo.db.profiles.update_one({"_id": pid}, {"$set": request.json})
            return "", 204
        """,
        id="pymongo-set-whole-body",
        at=(5, 5),
        message="every field of the stored document",
    ),
    Invalid(
        """
        from django import forms
        from django.db import models
        from django.views.generic import UpdateView

        class Membership(models.Model):
            member = models.ForeignKey("auth.User", on_delete=models.CASCADE)
            role = models.CharField(max_length=20)
            nickname = models.CharField(max_length=40)

        class MembershipForm(forms.ModelForm):
            class Meta:
                model = Membership
                fields = "__all__"

        class EditMembership(UpdateView):
            model = Membership
            form_class = MembershipForm
        """,
        id="model-form-all-fields-in-an-update-view",
        at=(13, 9),
        message="a client can set `role`",
        confidence=Confidence.LOW,
    ),
]
