"""BL501's good and bad examples (tests and docs), per framework."""
from __future__ import annotations

from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from flask import Blueprint, request
        from flask_login import current_user, login_required

        from .models import Post, db

        bp = Blueprint("posts", __name__)

        @bp.post("/posts")
        @login_required
        def create_post():
            post = Post(title=request.form["title"], author=current_user)
            db.session.add(post)
            db.session.commit()
            return {"id": post.id}, 201
        """,
        id="flask-login-required",
        doc=True,
    ),
    Valid(
        """
        from flask import Blueprint, jsonify, request
        from flask_login import current_user

        bp = Blueprint("api", __name__)

        @bp.post("/notes/<int:note_id>/archive")
        def archive_note(note_id):
            note = Note.query.filter_by(id=note_id, owner_id=current_user.id).first_or_404()
            note.archived = bool(request.get_json().get("archived", True))
            db.session.commit()
            return jsonify(archived=note.archived)
        """,
        id="flask-current-user-attribute",
        note="the note is looked up among the signed-in user's own (`current_user.id`): flask-login's anonymous user has no `id`",
    ),
    Valid(
        """
        from flask import Flask, request, session

        app = Flask(__name__)

        @app.route("/entries", methods=["GET", "POST"])
        def entries():
            db = get_db()
            if request.method == "POST" and session.get("owner_id"):
                db.execute("INSERT INTO entries (owner_id, text) VALUES (?, ?)", (session["owner_id"], request.form["text"]))
                db.commit()
            return render_template("entries.html")
        """,
        id="flask-session-owner-check",
        note="the write happens only for a session that names its signed-in owner",
    ),
    Valid(
        """
        from flask import Blueprint, g, redirect, request, url_for

        bp = Blueprint("posts", __name__)

        @bp.route("/create", methods=("GET", "POST"))
        def create():
            if request.method == "POST":
                db = get_db()
                db.execute("INSERT INTO post (title, author_id) VALUES (?, ?)", (request.form["title"], g.user["id"]))
                db.commit()
                return redirect(url_for("posts.index"))
            return render_template("create.html")
        """,
        id="flask-g-user",
        note="`g.user` is the signed-in user a `before_request` hook loads (None for an anonymous caller), as `current_user` is",
    ),
    Valid(
        """
        from flask import Blueprint, abort, g

        bp = Blueprint("admin", __name__, url_prefix="/admin")

        @bp.before_request
        def require_staff():
            if g.user is None or not g.user.is_staff:
                abort(403)

        @bp.delete("/users/<int:user_id>")
        def delete_user(user_id):
            User.query.filter_by(id=user_id).delete()
            db.session.commit()
            return "", 204
        """,
        id="flask-blueprint-before-request",
    ),
    Valid(
        """
        from typing import Annotated

        from fastapi import APIRouter, Depends

        router = APIRouter()

        @router.post("/items", status_code=201)
        def create_item(item: ItemIn, user: Annotated[User, Depends(get_current_user)], db: Session = Depends(get_db)):
            row = Item(**item.model_dump(), owner_id=user.id)
            db.add(row)
            db.commit()
            return row
        """,
        id="fastapi-current-user-dependency",
        doc=True,
    ),
    Valid(
        """
        from fastapi import APIRouter, Depends, FastAPI

        from .auth import verify_token

        app = FastAPI()
        admin = APIRouter(dependencies=[Depends(verify_token)])

        @admin.delete("/items/{item_id}")
        def delete_item(item_id: int):
            items.delete(item_id)
        """,
        id="fastapi-router-dependency",
    ),
    Valid(
        """
        from django.contrib.auth.decorators import login_required
        from django.shortcuts import redirect
        from django.views.decorators.http import require_POST

        @require_POST
        @login_required
        def archive_note(request, pk):
            note = Note.objects.get(pk=pk, owner=request.user)
            note.archived = True
            note.save()
            return redirect("notes")
        """,
        id="django-login-required",
        doc=True,
    ),
    Valid(
        """
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.views.generic import CreateView

        class NoteCreate(LoginRequiredMixin, CreateView):
            model = Note
            fields = ["title", "body"]
        """,
        id="django-login-required-mixin",
    ),
    Valid(
        """
        from django.shortcuts import redirect

        def publish(request, pk):
            if request.method == "POST":
                if not request.user.has_perm("blog.publish_post"):
                    raise PermissionDenied
                Post.objects.filter(pk=pk).update(published=True)
            return redirect("post", pk=pk)
        """,
        id="django-has-perm-in-body",
    ),
    Valid(
        """
        from django.shortcuts import get_object_or_404, redirect, render

        def edit_draft(request, pk):
            post = get_object_or_404(Post, pk=pk, author=request.user)
            form = DraftForm(request.POST or None, instance=post)
            if request.method == "POST" and form.is_valid():
                form.save()
                return redirect("detail", pk=post.pk)
            return render(request, "draft_form.html", {"form": form})
        """,
        id="django-lookup-scoped-to-the-user",
        note="only the caller's own post is found: the anonymous user matches no author (Django refuses it as a value)",
    ),
    Valid(
        """
        import json

        from django.http import JsonResponse
        from django.views.decorators.http import require_POST

        @require_POST
        def rate_doctor(request):
            payload = json.loads(request.body)
            request.user.ratings.create(doctor=payload["doctor"], stars=int(payload["stars"]))
            return JsonResponse({"ok": True})
        """,
        id="django-write-through-the-user",
        note="the rating is written through the caller's own relation, which the anonymous user does not have",
    ),
    Valid(
        """
        from rest_framework import permissions, viewsets

        class OrderViewSet(viewsets.ModelViewSet):
            queryset = Order.objects.all()
            serializer_class = OrderSerializer
            permission_classes = [permissions.IsAuthenticated]
        """,
        id="drf-permission-classes",
        doc=True,
    ),
    Valid(
        """
        from rest_framework import viewsets

        REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}

        class OrderViewSet(viewsets.ModelViewSet):
            queryset = Order.objects.all()
            serializer_class = OrderSerializer
        """,
        id="drf-default-permission-classes",
        note="the settings usually live in settings.py: the project facts carry them to every view",
    ),
    Valid(
        """
        from rest_framework.decorators import api_view, permission_classes
        from rest_framework.permissions import IsAdminUser

        @api_view(["POST"])
        @permission_classes([IsAdminUser])
        def reindex(request):
            SearchIndex.objects.create(requested_by=request.user)
        """,
        id="drf-api-view-permission-classes",
    ),
    Valid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/login")
        def login():
            user = User.query.filter_by(email=request.form["email"]).first()
            session_store.save(user)
            return "ok"

        @app.post("/search")
        def search():
            return {"hits": index.query(request.json["q"])}
        """,
        id="public-by-design-and-read-only-post",
        note="login endpoints are public on purpose; a POST that writes nothing is not state-changing",
    ),
    Valid(
        """
        from django.shortcuts import redirect, render

        def donate(request):
            if request.method == "POST":
                Payment.objects.create(amount=request.POST["amount"], email=request.POST["email"])
                return redirect("thanks")
            return render(request, "donate.html")
        """,
        id="donation-form",
        note="a donation form is open to anybody, as a contact form is",
    ),
    Valid(
        """
        from flask import Blueprint, jsonify, request
        from werkzeug.security import generate_password_hash

        bp = Blueprint("auth", __name__, url_prefix="/auth")

        @bp.post("/customers")
        def create_customer():
            data = request.get_json()
            customer = Customer(email=data["email"], password_hash=generate_password_hash(data["password"]))
            db.session.add(customer)
            db.session.commit()
            return jsonify(id=customer.id), 201
        """,
        id="route-under-an-auth-blueprint-prefix",
        note="the route's whole path is `/auth/customers`: a sign-up, public like `/auth/register`",
    ),
    Valid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/webhooks/stripe")
        def stripe_webhook():
            event = stripe.Webhook.construct_event(request.data, request.headers["Stripe-Signature"], SECRET)
            Payment.objects.create(ref=event["id"])
            return "", 200
        """,
        id="webhook-with-signature-check",
    ),
    Valid(
        """
        from aiohttp import web
        from aiohttp_security import check_authorized

        routes = web.RouteTableDef()

        @routes.post("/notes")
        async def add_note(request):
            await check_authorized(request)
            await request.app["db"].execute("INSERT INTO notes (body) VALUES ($1)", (await request.post())["body"])
            return web.json_response({"ok": True})
        """,
        id="aiohttp-security",
    ),
    Valid(
        """
        from pyramid.view import view_config

        @view_config(route_name="page_edit", request_method="POST", permission="edit")
        def edit_page(request):
            page = request.dbsession.get(Page, request.matchdict["id"])
            page.body = request.POST["body"]
            request.dbsession.add(page)
        """,
        id="pyramid-permission",
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
            post = Post(title=request.form["title"])
            db.session.add(post)
            db.session.commit()
            return {"id": post.id}, 201
        """,
        id="flask-post-without-login",
        at=(8, 5),
        message="`create_post()` (`POST /posts`) changes state (POST handler that calls `db.session.add`) but no authentication",
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask

        app = Flask(__name__)

        @app.route("/users/<int:user_id>", methods=["DELETE"])
        def delete_user(user_id):
            User.query.filter_by(id=user_id).delete()
            db.session.commit()
            return "", 204
        """,
        id="flask-delete-route",
        at=(6, 5),
        message="Add `@login_required` (flask-login)",
    ),
    Invalid(
        """
        from fastapi import APIRouter, Depends

        router = APIRouter(prefix="/items")

        @router.delete("/{item_id}", status_code=204)
        def delete_item(item_id: int, db: Session = Depends(get_db)):
            db.query(Item).filter(Item.id == item_id).delete()
            db.commit()
        """,
        id="fastapi-delete-with-only-a-db-dependency",
        at=(6, 5),
        message="Add a dependency that authenticates",
        doc=True,
    ),
    Invalid(
        """
        from django.shortcuts import redirect

        def add_comment(request, pk):
            if request.method == "POST":
                Comment.objects.create(post_id=pk, body=request.POST["body"])
            return redirect("post", pk=pk)
        """,
        id="django-function-view-handling-post",
        at=(3, 5),
        message="Decorate it with `@login_required`",
        doc=True,
    ),
    Invalid(
        """
        from django.shortcuts import redirect

        def claim_post(request, pk):
            if request.method == "POST":
                post = Post.objects.get(pk=pk)
                post.editor = request.user
                post.save()
            return redirect("post", pk=pk)
        """,
        id="django-write-naming-the-user-without-scoping-it",
        at=(3, 5),
        message="`claim_post()` changes state",
        note="the user is the value written, not a condition of which rows: any post can be claimed",
    ),
    Invalid(
        """
        from django.views.generic import DeleteView

        class NoteDelete(DeleteView):
            model = Note
            success_url = "/notes/"
        """,
        id="django-delete-view",
        at=(3, 7),
        message="Add `LoginRequiredMixin`",
    ),
    Invalid(
        """
        from rest_framework import viewsets

        class OrderViewSet(viewsets.ModelViewSet):
            queryset = Order.objects.all()
            serializer_class = OrderSerializer
        """,
        id="drf-viewset-without-permissions",
        at=(3, 7),
        message="`OrderViewSet` (POST/PUT/PATCH/DELETE) changes state",
        doc=True,
    ),
    Invalid(
        """
        from rest_framework.decorators import api_view
        from rest_framework.response import Response

        @api_view(["POST"])
        def refund(request, order_id):
            Refund.objects.create(order_id=order_id, amount=request.data["amount"])
            return Response(status=201)
        """,
        id="drf-api-view-post",
        at=(5, 5),
        message="Add `@permission_classes([IsAuthenticated])`",
    ),
    Invalid(
        """
        from rest_framework import generics
        from rest_framework.permissions import AllowAny

        class InvoiceUpdate(generics.RetrieveUpdateAPIView):
            queryset = Invoice.objects.all()
            serializer_class = InvoiceSerializer
            permission_classes = [AllowAny]
        """,
        id="drf-allow-any-on-update",
        at=(4, 7),
        message="`InvoiceUpdate` (PUT/PATCH) changes state",
    ),
    Invalid(
        """
        from aiohttp import web

        routes = web.RouteTableDef()

        @routes.delete("/notes/{id}")
        async def delete_note(request):
            await request.app["db"].execute("DELETE FROM notes WHERE id = $1", int(request.match_info["id"]))
            return web.Response(status=204)
        """,
        id="aiohttp-delete",
        at=(6, 11),
        message="`await check_authorized(request)`",
    ),
    Invalid(
        """
        from flask import Flask, request

        app = Flask(__name__)

        @app.post("/webhooks/shipping")
        def shipping_webhook():
            Shipment.objects.create(ref=request.json["ref"], status=request.json["status"])
            return "", 200
        """,
        id="webhook-without-signature-check",
        at=(6, 5),
        message="a webhook receiver with no signature check",
    ),
]
