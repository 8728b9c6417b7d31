"""BL821's good and bad examples (tests and docs). Each example is a project of one file;
in a real project the view, `urls.py` and the settings are different modules (the rule
reads them all: see tests/test_csrf.py)."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        import stripe
        from django.conf import settings
        from django.http import HttpResponse
        from django.views.decorators.csrf import csrf_exempt
        from django.views.decorators.http import require_POST

        @csrf_exempt
        @require_POST
        def stripe_webhook(request):
            signature = request.META["HTTP_STRIPE_SIGNATURE"]
            event = stripe.Webhook.construct_event(request.body, signature, settings.STRIPE_WEBHOOK_SECRET)
            Payment.objects.filter(intent=event.data.object.id).update(paid=True)
            return HttpResponse(status=204)
        """,
        id="django-webhook-verifies-its-signature",
        doc=True,
        note="a webhook that verifies its signature authenticates its caller: csrf_exempt is right there",
    ),
    Valid(
        """
        import hashlib
        import hmac

        from django.http import HttpResponse, HttpResponseForbidden
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        def github_hook(request):
            sent = request.headers.get("X-Hub-Signature-256", "")
            expected = "sha256=" + hmac.new(KEY, request.body, hashlib.sha256).hexdigest()
            if not hmac.compare_digest(sent, expected):
                return HttpResponseForbidden()
            Build.objects.create(ref=json.loads(request.body)["ref"])
            return HttpResponse(status=204)
        """,
        id="django-github-signature",
    ),
    Valid(
        """
        from django.http import JsonResponse
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        def ingest(request):
            key = request.headers.get("X-Api-Key")
            device = Device.objects.get(api_key=key)
            Reading.objects.create(device=device, value=json.loads(request.body)["value"])
            return JsonResponse({"ok": True})
        """,
        id="django-token-header-api",
        note="authenticated only by a header the browser never adds on its own",
    ),
    Valid(
        """
        from django.utils.decorators import method_decorator
        from django.views.decorators.csrf import csrf_exempt
        from rest_framework.views import APIView

        @method_decorator(csrf_exempt, name="dispatch")
        class OrderView(APIView):
            def post(self, request):
                Order.objects.create(owner=request.user, **request.data)
        """,
        id="drf-view-checks-csrf-itself",
        note="DRF views are exempt from the middleware by design; SessionAuthentication checks CSRF itself",
    ),
    Valid(
        """
        from django.http import JsonResponse
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        def search(request):
            results = Product.objects.filter(name__icontains=request.GET.get("q", ""))
            return JsonResponse({"results": [p.name for p in results[:20]], "user": request.user.username})
        """,
        id="django-exempt-read-only-view",
        note="a view that only reads changes nothing a forged request could exploit",
    ),
    Valid(
        """
        MIDDLEWARE = [
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
        ]
        """,
        id="django-middleware-with-csrf",
        doc=True,
    ),
    Valid(
        """
        MIDDLEWARE = [
            "django.middleware.security.SecurityMiddleware",
            "django.middleware.common.CommonMiddleware",
            "corsheaders.middleware.CorsMiddleware",
        ]
        """,
        id="django-api-without-sessions",
        note="no session or authentication middleware: no cookie for a forged request to ride on",
    ),
    Valid(
        """
        class Config:
            SECRET_KEY = os.environ["SECRET_KEY"]

        class TestingConfig(Config):
            TESTING = True
            WTF_CSRF_ENABLED = False
        """,
        id="flask-testing-config",
        doc=True,
    ),
    Valid(
        """
        # settings for the test run (module picked by FLASK_CONFIG)
        TESTING = True
        SQLALCHEMY_DATABASE_URI = "sqlite://"
        WTF_CSRF_ENABLED = False
        """,
        id="flask-module-with-testing-true",
        note="a configuration module that sets TESTING = True is a test configuration, whatever its name",
    ),
    Valid(
        """
        def create_app(config=None):
            app = Flask(__name__)
            app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
            return app
        """,
        id="flask-testing-keywords",
        note="set beside TESTING=True: a test app",
    ),
    Valid(
        """
        from flask import Blueprint, request
        from flask_limiter import Limiter

        limiter = Limiter()
        bp = Blueprint("auth", __name__)

        @limiter.exempt
        @bp.route("/logout", methods=["POST"])
        def logout():
            session.clear()
            return redirect("/")
        """,
        id="flask-limiter-exempt-is-not-csrf",
    ),
    Valid(
        """
        import hmac

        from flask import Blueprint, abort, request
        from flask_login import current_user

        from .extensions import csrf

        hooks = Blueprint("hooks", __name__)

        @csrf.exempt
        @hooks.post("/hooks/slack")
        def slack_command():
            if not verify_slack_signature(request.headers["X-Slack-Signature"], request.get_data()):
                abort(403)
            Command.create(text=request.form["text"])
            return "", 204
        """,
        id="flask-exempt-webhook-verified",
    ),
]

INVALID = [
    Invalid(
        """
        from django.contrib.auth.decorators import login_required
        from django.shortcuts import redirect
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        @login_required
        def change_email(request):
            if request.method == "POST":
                request.user.email = request.POST["email"]
                request.user.save()
            return redirect("profile")
        """,
        id="django-exempt-session-view",
        at=(5, 2),
        message="CSRF protection is off for the view `change_email` (`@csrf_exempt`), which changes state (reads `request.POST`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import json

        from django.http import JsonResponse
        from django.views.decorators.csrf import csrf_exempt

        @csrf_exempt
        def like(request, post_id):
            payload = json.loads(request.body)
            Like.objects.create(user=request.user, post_id=post_id, kind=payload["kind"])
            return JsonResponse({"ok": True})
        """,
        id="django-exempt-json-endpoint-for-the-signed-in-user",
        at=(6, 2),
        message="for the signed-in user (`request.user`)",
    ),
    Invalid(
        """
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.utils.decorators import method_decorator
        from django.views import View
        from django.views.decorators.csrf import csrf_exempt

        @method_decorator(csrf_exempt, name="dispatch")
        class DeleteAccountView(LoginRequiredMixin, View):
            def post(self, request):
                request.user.delete()
                return redirect("/")
        """,
        id="django-method-decorator-on-class",
        at=(6, 2),
        message="class-based view `DeleteAccountView`",
    ),
    Invalid(
        """
        from django.views.generic import UpdateView
        from django.views.decorators.csrf import csrf_exempt

        class ProfileUpdate(UpdateView):
            model = Profile
            fields = ["bio"]

            @csrf_exempt
            def dispatch(self, request, *args, **kwargs):
                return super().dispatch(request, *args, **kwargs)
        """,
        id="django-exempt-dispatch-editing-view",
        at=(8, 6),
        confidence=Confidence.LOW,
        message="is a generic editing view (`UpdateView`)",
    ),
    Invalid(
        """
        from django.urls import path
        from django.views.decorators.csrf import csrf_exempt
        from graphene_django.views import GraphQLView

        urlpatterns = [
            path("graphql/", csrf_exempt(GraphQLView.as_view(graphiql=True))),
        ]
        """,
        id="django-urls-third-party-graphql",
        at=(6, 22),
        confidence=Confidence.LOW,
        message="third-party view `GraphQLView`",
    ),
    Invalid(
        """
        from django.urls import path
        from django.views.decorators.csrf import csrf_exempt

        def transfer(request):
            Transfer.objects.create(sender=request.user, to=request.POST["to"], amount=request.POST["amount"])
            return redirect("/")

        urlpatterns = [path("transfer/", csrf_exempt(transfer))]
        """,
        id="django-urls-local-view",
        at=(4, 1),
        message="(`csrf_exempt(...)` in `example.py` line 8)",
        note="reported on the view: its code decides",
    ),
    Invalid(
        """
        MIDDLEWARE = [
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
        ]
        CSRF_FAILURE_VIEW = "core.views.csrf_failure"
        """,
        id="django-middleware-without-csrf",
        note="another csrf setting in the module (CSRF_FAILURE_VIEW) lists no middleware",
        at=(1, 1),
        message="`MIDDLEWARE` leaves out `django.middleware.csrf.CsrfViewMiddleware`",
        doc=True,
    ),
    Invalid(
        """
        from .base import *

        MIDDLEWARE.remove("django.middleware.csrf.CsrfViewMiddleware")
        """,
        id="django-middleware-removed",
        at=(3, 1),
        message="`MIDDLEWARE.remove(...)` takes `CsrfViewMiddleware` out",
    ),
    Invalid(
        """
        from rest_framework.authentication import BasicAuthentication, SessionAuthentication

        class CsrfExemptSessionAuthentication(SessionAuthentication):
            def enforce_csrf(self, request):
                return

        class CommentViewSet(viewsets.ModelViewSet):
            authentication_classes = (CsrfExemptSessionAuthentication, BasicAuthentication)
        """,
        id="drf-enforce-csrf-does-nothing",
        at=(4, 5),
        message="`CsrfExemptSessionAuthentication.enforce_csrf` does nothing",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        class Config:
            SECRET_KEY = os.environ["SECRET_KEY"]
            WTF_CSRF_ENABLED = False

        class TestingConfig(Config):
            TESTING = True
        """,
        id="flask-wtf-disabled-in-base-config",
        at=(3, 5),
        message="`WTF_CSRF_ENABLED = False` in `Config` switches off the CSRF check",
        doc=True,
    ),
    Invalid(
        """
        def create_app():
            app = Flask(__name__)
            app.config["WTF_CSRF_ENABLED"] = False
            return app
        """,
        id="flask-wtf-disabled-in-app-factory",
        at=(3, 5),
    ),
    Invalid(
        """
        from flask import Blueprint, redirect, request
        from flask_login import current_user, login_required
        from flask_wtf.csrf import CSRFProtect

        csrf = CSRFProtect()
        bp = Blueprint("account", __name__)

        @csrf.exempt
        @bp.route("/account/delete", methods=["POST"])
        @login_required
        def delete_account():
            db.session.delete(current_user)
            db.session.commit()
            return redirect("/")
        """,
        id="flask-csrf-exempt-session-view",
        at=(8, 2),
        message="Remove `csrf.exempt`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from flask import Flask, redirect, request, session

        app = Flask(__name__)

        @app.route("/notes", methods=["POST"])
        def add_note():
            db.execute("INSERT INTO notes (user_id, body) VALUES (?, ?)", (session["user_id"], request.form["body"]))
            return redirect("/")
        """,
        id="flask-app-without-csrf-protection",
        at=(3, 7),
        confidence=Confidence.LOW,
        message="Add `CSRFProtect(app)`",
    ),
]
