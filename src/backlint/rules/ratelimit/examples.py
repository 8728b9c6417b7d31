"""BL401's good and bad examples (tests and docs), one or more per framework and library."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from flask import request
        from flask.views import MethodView
        from flask_jwt_extended import jwt_required

        from .models import Person
        from . import permissions

        class ChangePasswordForPersonResource(MethodView):
            @jwt_required()
            def post(self, person_id):
                permissions.check_admin_permissions()
                person = Person.get(person_id)
                person.password = hash_password(request.json["password"])
                person.save()
                return {"success": True}
        """,
        id="flask-admin-check-called-in-body",
    ),
    Valid(
        """
        from flask import request
        from flask.views import MethodView

        MAX_LOGIN_FAILED_ATTEMPS = 5

        def check_login_failed_attempts(person):
            if person.login_failed_attemps >= MAX_LOGIN_FAILED_ATTEMPS:
                raise TooManyFailedLogins()
            return person.login_failed_attemps

        def check_auth(email, password):
            person = find_person(email)
            failures = check_login_failed_attempts(person)
            if not check_password_hash(person.password, password):
                person.login_failed_attemps = failures + 1
                raise WrongPassword()
            return person

        class LoginResource(MethodView):
            def post(self):
                person = check_auth(request.json["email"], request.json["password"])
                return {"token": issue_token(person)}
        """,
        id="flask-failed-attempts-counter-in-a-helper",
    ),
    Valid(
        """
        import django_otp
        from django.views.decorators.http import require_POST

        @require_POST
        def verify_second_factor(request):
            device = django_otp.match_token(request.user, request.POST["code"])
            if device is None:
                return render(request, "verify.html", {"error": "invalid code"})
            django_otp.login(request, device)
            return redirect("home")
        """,
        id="django-otp-match-token-is-throttled",
    ),
    Valid(
        """
        from starlette.routing import Mount, Route

        async def admin_set_password(request):
            require_admin(request)
            form = await request.form()
            await set_hash(request.path_params["user_id"], hash_password(form["password"]))
            return RedirectResponse("/admin/users", status_code=303)

        routes = [Mount("/admin", routes=[Route("/users/{user_id}/password", admin_set_password, methods=["POST"])])]
        """,
        id="starlette-admin-guard-called-in-body",
    ),
    Valid(
        """
        from aiohttp import web
        from aiohttplimiter import default_keyfunc, limit

        routes = web.RouteTableDef()

        @routes.post("/login")
        @limit(ratelimit="5/60", keyfunc=default_keyfunc)
        async def login(request):
            form = await request.post()
            return web.json_response({"ok": await verify_password(form["email"], form["password"])})
        """,
        id="aiohttp-ratelimiter-decorator",
    ),
    Valid(
        """
        from flask import Blueprint, request
        from werkzeug.security import check_password_hash
        from .extensions import limiter

        bp = Blueprint("auth", __name__)

        @bp.route("/login", methods=["POST"])
        @limiter.limit("5 per minute")
        def login():
            user = User.query.filter_by(email=request.form["email"]).first()
            return str(check_password_hash(user.password_hash, request.form["password"]))
        """,
        id="flask-limiter-decorator",
        doc=True,
    ),
    Valid(
        """
        from flask import Flask, request
        from flask_limiter import Limiter
        from flask_limiter.util import get_remote_address

        app = Flask(__name__)
        limiter = Limiter(get_remote_address, app=app, default_limits=["200 per day", "50 per hour"])

        @app.post("/login")
        def login():
            return authenticate(request.form["username"], request.form["password"])
        """,
        id="flask-limiter-default-limits",
        doc=True,
    ),
    Valid(
        """
        from flask import Blueprint
        from app.extensions import limiter

        auth_bp = Blueprint("auth", __name__)
        limiter.limit("10/minute")(auth_bp)

        @auth_bp.post("/signup")
        def signup():
            ...
        """,
        id="flask-limiter-blueprint",
    ),
    Valid(
        """
        from flask import Flask
        from flask.views import MethodView
        from app.extensions import limiter

        class LoginAPI(MethodView):
            decorators = [limiter.limit("5/minute")]

            def post(self):
                return login_user(find_user())
        """,
        id="flask-methodview-decorators",
    ),
    Valid(
        """
        from flask import Blueprint, render_template

        bp = Blueprint("auth", __name__)

        @bp.route("/login")
        def login():
            return render_template("login.html")

        @bp.post("/logout")
        def logout():
            logout_user()
            return "bye"
        """,
        id="get-only-login-form-and-logout",
        doc=True,
    ),
    Valid(
        """
        from fastapi import APIRouter, Depends
        from fastapi_limiter.depends import RateLimiter

        router = APIRouter()

        @router.post("/token", dependencies=[Depends(RateLimiter(times=5, seconds=60))])
        async def login(form: OAuth2PasswordRequestForm = Depends()):
            user = authenticate_user(form.username, form.password)
            return {"access_token": create_access_token(user.id)}
        """,
        id="fastapi-limiter-route-dependency",
        doc=True,
    ),
    Valid(
        """
        from fastapi import APIRouter, Depends
        from fastapi_limiter.depends import RateLimiter

        router = APIRouter(dependencies=[Depends(RateLimiter(times=20, seconds=60))])

        @router.post("/password/reset")
        async def reset_password(email: str):
            await send_password_reset_email(email)
        """,
        id="fastapi-limiter-router-dependency",
    ),
    Valid(
        """
        from fastapi import APIRouter, Depends
        from fastapi_limiter.depends import RateLimiter

        router = APIRouter()

        @router.post("/otp/verify")
        async def verify_otp(code: str, _: None = Depends(RateLimiter(times=3, seconds=60))):
            return totp.verify(code)
        """,
        id="fastapi-limiter-parameter",
    ),
    Valid(
        """
        from fastapi import FastAPI, Request
        from slowapi import Limiter
        from slowapi.util import get_remote_address

        limiter = Limiter(key_func=get_remote_address)
        app = FastAPI()

        @app.post("/login")
        @limiter.limit("5/minute")
        async def login(request: Request, body: LoginIn):
            return verify_password(body.password, lookup(body.username).hashed)
        """,
        id="slowapi-decorator",
    ),
    Valid(
        """
        from fastapi import FastAPI
        from slowapi import Limiter
        from slowapi.middleware import SlowAPIMiddleware

        limiter = Limiter(key_func=remote, default_limits=["100/minute"])
        app = FastAPI()
        app.state.limiter = limiter
        app.add_middleware(SlowAPIMiddleware)

        @app.post("/register")
        async def register(body: SignupIn):
            ...
        """,
        id="slowapi-default-limits-with-middleware",
    ),
    Valid(
        """
        from fastapi import APIRouter

        router = APIRouter()

        @router.get("/users/me")
        async def me(user=Depends(current_user)):
            return user

        @router.post("/token/revoke")
        async def revoke_token(token: str):
            blacklist(token)

        @router.get("/health")
        async def health():
            return {"ok": True}
        """,
        id="me-revoke-health",
    ),
    Valid(
        """
        from django.contrib.auth import authenticate, login
        from django_ratelimit.decorators import ratelimit

        @ratelimit(key="ip", rate="5/m", block=True)
        def login_view(request):
            user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
            login(request, user)
        """,
        id="django-ratelimit-function",
        doc=True,
    ),
    Valid(
        """
        from django.contrib.auth import authenticate
        from django.utils.decorators import method_decorator
        from django.views import View
        from django_ratelimit.decorators import ratelimit

        @method_decorator(ratelimit(key="ip", rate="5/m", block=True), name="post")
        class SignInView(View):
            def post(self, request):
                return authenticate(request, **credentials(request))
        """,
        id="django-ratelimit-method-decorator",
    ),
    Valid(
        """
        from django.contrib.auth import authenticate

        INSTALLED_APPS = ["django.contrib.auth", "axes"]
        MIDDLEWARE = ["axes.middleware.AxesMiddleware"]
        AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]

        def login_view(request):
            return authenticate(request, username=request.POST["u"], password=request.POST["p"])
        """,
        id="django-axes-login",
        doc=True,
    ),
    Valid(
        """
        from rest_framework.views import APIView
        from rest_framework.throttling import AnonRateThrottle

        class LoginView(APIView):
            throttle_classes = [AnonRateThrottle]

            def post(self, request):
                return Response(authenticate(request, **request.data))
        """,
        id="drf-throttle-classes",
        doc=True,
    ),
    Valid(
        """
        from rest_framework.decorators import api_view, throttle_classes
        from rest_framework.throttling import AnonRateThrottle

        @api_view(["POST"])
        @throttle_classes([AnonRateThrottle])
        def obtain_token(request):
            return Response({"token": make_token(request.data)})
        """,
        id="drf-throttle-classes-decorator",
    ),
    Valid(
        """
        from rest_framework import generics

        REST_FRAMEWORK = {
            "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
            "DEFAULT_THROTTLE_RATES": {"anon": "20/min"},
        }

        class RegisterView(generics.CreateAPIView):
            serializer_class = RegisterSerializer
        """,
        id="drf-default-throttle-classes",
    ),
    Valid(
        """
        from rest_framework.views import APIView
        from rest_framework.throttling import ScopedRateThrottle

        class Throttled(APIView):
            throttle_classes = [ScopedRateThrottle]

        class PasswordResetView(Throttled):
            throttle_scope = "reset"

            def post(self, request):
                send_password_reset_email(request.data["email"])
        """,
        id="drf-base-class-in-file",
    ),
    Valid(
        """
        from django.urls import path
        from django_ratelimit.decorators import ratelimit
        from rest_framework_simplejwt.views import TokenObtainPairView
        from rest_framework.throttling import AnonRateThrottle

        urlpatterns = [
            path("token/", TokenObtainPairView.as_view(throttle_classes=[AnonRateThrottle])),
            path("login/", ratelimit(key="ip", rate="5/m")(TokenObtainPairView.as_view())),
        ]
        """,
        id="third-party-view-limited-in-urls",
    ),
    Valid(
        """
        from aiohttp import web

        routes = web.RouteTableDef()

        @routes.get("/login")
        async def login_page(request):
            return web.Response(text=FORM)
        """,
        id="aiohttp-login-page",
    ),
    Valid(
        """
        from flask import Blueprint

        bp = Blueprint("items", __name__)

        @bp.post("/items")
        def create_item():
            return save(request.json)
        """,
        id="not-abuse-prone",
    ),
    Valid(
        """
        from flask import Blueprint, request
        from flask_login import login_required

        bp = Blueprint("admin", __name__)

        @bp.post("/admin/users")
        @login_required
        def create_user():
            user = User(email=request.json["email"])
            user.set_password(request.json["password"])
        """,
        id="signed-in-admin-creates-users",
    ),
    Valid(
        """
        from starlette.applications import Starlette
        from starlette.middleware import Middleware
        from slowapi import Limiter
        from slowapi.middleware import SlowAPIMiddleware

        limiter = Limiter(key_func=remote, default_limits=["30/minute"])

        async def login(request):
            form = await request.form()
            return JSONResponse(verify_password(form["password"], HASH))

        app = Starlette(middleware=[Middleware(SlowAPIMiddleware)])
        """,
        id="slowapi-middleware-on-starlette",
    ),
    Valid(
        """
        from rest_framework import serializers

        class SignupSerializer(serializers.ModelSerializer):
            def create(self, validated_data):
                return Member.objects.create_user(**validated_data)
        """,
        id="serializer-is-not-a-view",
    ),
    Valid(
        """
        from django.contrib.admin.views.decorators import staff_member_required
        from django.views.decorators.http import require_POST

        @staff_member_required
        @require_POST
        def staff_reset_password(request, user_id):
            user = User.objects.get(pk=user_id)
            user.set_password(request.POST["password"])
            user.save()
        """,
        id="staff-sets-another-users-password",
    ),
    Valid(
        """
        from fastapi import APIRouter, Depends
        from .deps import require_admin

        router = APIRouter(prefix="/admin", dependencies=[Depends(require_admin)])

        @router.post("/users")
        def create_user(body: UserIn):
            return User(email=body.email, hashed_password=hash_password(body.password))
        """,
        id="fastapi-admin-router",
    ),
    Valid(
        """
        from flask import Blueprint, abort, request
        from flask_login import current_user, login_required

        bp = Blueprint("admin", __name__)

        @bp.before_request
        @login_required
        def require_admin():
            if not current_user.is_admin:
                abort(403)

        @bp.post("/members/<int:member_id>/password")
        def set_member_password(member_id):
            Member.query.get(member_id).set_password(request.form["password"])
        """,
        id="flask-admin-blueprint-before-request",
    ),
    Valid(
        """
        import functools
        from aiohttp import web

        def rate_limited(bucket, limit, per_seconds):
            def decorator(handler):
                @functools.wraps(handler)
                async def wrapper(request):
                    if too_many(bucket, request.remote, limit, per_seconds):
                        raise web.HTTPTooManyRequests()
                    return await handler(request)
                return wrapper
            return decorator

        @rate_limited("login", limit=5, per_seconds=60)
        async def login(request):
            body = await request.json()
            return check_password(body["password"], await stored_hash(body["email"]))
        """,
        id="in-house-decorator-answering-429",
        doc=True,
    ),
    Valid(
        """
        from pyramid.view import view_config
        from ratelimits import rate_limit

        @view_config(route_name="login", renderer="json", request_method="POST", decorator=rate_limit("login", 5, 60))
        def login(request):
            user = find_user(request.json_body["name"])
            return {"ok": user.check_password(request.json_body["password"])}
        """,
        id="pyramid-view-config-decorator",
    ),
    Valid(
        """
        from fastapi import APIRouter, HTTPException, Request
        from .utils.rate_limit import RateLimiter

        router = APIRouter()
        signin_rate_limiter = RateLimiter(limit=15, window=180)

        @router.post("/signin")
        async def signin(request: Request, form: SigninForm):
            if await signin_rate_limiter.is_limited(request.app.state.redis, form.email):
                raise HTTPException(429)
            return authenticate_user(form.email, form.password)
        """,
        id="limiter-called-in-the-body",
    ),
    Valid(
        """
        from django.views.decorators.debug import sensitive_variables

        @sensitive_variables("credentials")
        def authenticate(request=None, **credentials):
            for backend in get_backends():
                user = backend.authenticate(request, **credentials)
        """,
        id="library-function-with-optional-request-is-not-a-view",
    ),
    Valid(
        """
        from fastapi import APIRouter

        router = APIRouter()

        @router.patch("/sessions/{session_id}")
        def patch_session(session_id: str, body: SessionPatch):
            return store.update(session_id, body.title)

        @router.post("/bulk-register")
        def bulk_register_skills(body: SkillsIn):
            return registry.add_all(body.skills)
        """,
        id="chat-sessions-and-registries-are-not-auth",
    ),
    Valid(
        """
        from django import forms
        from django.views.generic import FormView
        from .ratelimit import rate_limit

        class ResetPasswordForm(forms.Form):
            email = forms.EmailField()

            def clean_email(self):
                if rate_limit("pwreset", include_ip_from_request=self.request, max_num=10, expire_time=600):
                    raise forms.ValidationError("Please wait 10 minutes before you try again.")
                return self.cleaned_data["email"]

        class ResetPasswordView(FormView):
            form_class = ResetPasswordForm

            def form_valid(self, form):
                send_password_reset(form.cleaned_data["email"])
                return super().form_valid(form)
        """,
        id="django-form-class-rate-limits-in-clean",
    ),
    Valid(
        """
        from fastapi import APIRouter, HTTPException

        router = APIRouter()

        async def load_challenge(token):
            challenge = await Challenges.get(token)
            if challenge.attempts >= 5:
                raise HTTPException(429, "Too many codes. Please sign in again.")
            challenge.attempts += 1
            return challenge

        async def check_code(token, code):
            challenge = await load_challenge(token)
            return totp_matches(challenge.secret, code)

        @router.post("/mfa/verify")
        async def verify_mfa_challenge(form: MfaVerifyForm):
            return await check_code(form.challenge_token, form.code)
        """,
        id="fastapi-helper-answers-429",
    ),
    Valid(
        """
        from flask import Blueprint, request
        from werkzeug.security import check_password_hash

        bp = Blueprint("auth", __name__)

        @bp.route("/login", methods=["POST"])
        def login():
            user = User.query.filter_by(email=request.form["email"]).first()
            if user.login_attempts >= MAX_LOGIN_ATTEMPTS:
                return "locked", 403
            if not check_password_hash(user.password_hash, request.form["password"]):
                user.login_attempts += 1
                return "no", 401
            return "ok"
        """,
        id="flask-failed-login-counter-locks-out",
    ),
    Valid(
        """
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.views.generic import View

        class TwoFactorDisableView(LoginRequiredMixin, View):
            def post(self, request):
                request.user.totp_devices.all().delete()
                return redirect("settings")
        """,
        id="django-signed-in-second-factor-settings",
    ),
    Valid(
        """
        from django.views.generic import View

        class UserImpersonateView(AdministratorPermissionRequiredMixin, View):
            def post(self, request, id):
                login(request, User.objects.get(pk=id))
                return redirect("index")
        """,
        id="django-administrator-mixin",
    ),
    Valid(
        """
        from flask import Blueprint, request

        bp = Blueprint("auth", __name__)

        @bp.route("/login/bad_origin", methods=["POST"])
        def bad_origin_report():
            log.warning("unexpected origin %s", request.form.get("origin"))
            return ""
        """,
        id="login-prefix-only-is-weak",
    ),
    Valid(
        """
        from flask import Blueprint, request
        from flask.views import MethodView
        from .extensions import limiter

        auth = Blueprint("auth", __name__)
        account = Blueprint("account", __name__)

        class Login(MethodView):
            def post(self):
                return authenticate(request.form["username"], request.form["password"])

        limiter.limit("5 per minute")(auth)
        auth.add_url_rule("/login", view_func=Login.as_view("login"))
        """,
        id="flask-class-view-registered-on-limited-blueprint",
    ),
    Valid(
        """
        from django.views.generic import View

        class Login2FAView(View):
            def post(self, request):
                for device in devices_for_user(request.session["pending_user"]):
                    allowed, reason = device.verify_is_allowed()  # django-otp backs off after failures
                    if allowed and device.verify_token(request.POST["token"]):
                        login(request, device.user)
                return redirect("index")
        """,
        id="django-otp-throttling",
    ),
    Valid(
        """
        from wagtail.admin.viewsets.model import ModelViewSet

        class APITokenViewSet(ModelViewSet):
            model = APIToken
            form_fields = ["name"]
        """,
        id="wagtail-admin-viewset",
    ),
    Valid(
        """
        from django.views.generic import View

        class LoginStartView(View):
            def post(self, request):
                request.session["login_nonce"] = get_random_string(32)
                return redirect(reverse("login") + "?next=" + request.POST.get("next", ""))
        """,
        id="django-login-first-step-checks-nothing",
    ),
]

INVALID = [
    Invalid(
        """
        from fastapi import APIRouter, Request

        router = APIRouter()

        @router.post("/login")
        async def login(request: Request):
            redirect_uri = str(request.url_for("auth"))
            return await oauth.google.authorize_redirect(request, redirect_uri)
        """,
        id="fastapi-login-by-name-only-is-low",
        at=(6, 11),
        confidence=Confidence.LOW,
        message="its body checks no password, code or token",
    ),
    Invalid(
        """
        from flask import Flask, request, redirect
        from flask_login import login_user

        def create_app():
            app = Flask(__name__)

            @app.route("/login", methods=["GET", "POST"])
            def login():
                user = User.query.filter_by(name=request.form.get("name")).first()
                if user and user.check_password(request.form.get("password")):
                    login_user(user)
                    return redirect("/")
                return "bad credentials", 401

            return app
        """,
        id="flask-login-route-in-an-app-factory",
        at=(8, 9),
        message="calls `user.check_password`",
    ),
    Invalid(
        """
        from flask import Blueprint, request

        bp = Blueprint("users", __name__)

        @bp.post("/users")
        def users():
            create_user(request.json["email"], request.json["password"])
            return {"ok": True}, 201
        """,
        id="flask-weak-name-and-create-call-is-low",
        at=(6, 5),
        confidence=Confidence.LOW,
        message="if anyone can call it",
    ),
    Invalid(
        """
        import flask
        import flask_restful

        from .shared import authentication

        class AuthTokenResource(flask_restful.Resource):
            def post(self):
                token = authentication.authenticate_for_token(flask.request.get_json()["auth"])
                return {"token": token.id}, 201
        """,
        id="flask-restful-token-issued-by-a-project-authenticator",
        at=(6, 7),
        message="calls `.shared.authentication.authenticate_for_token`",
    ),
    Invalid(
        """
        from tornado import web

        class LoginHandler(web.RequestHandler):
            async def post(self):
                user = await self.authenticator.authenticate(self, {
                    "username": self.get_argument("username"),
                    "password": self.get_argument("password"),
                })
                if user is None:
                    raise web.HTTPError(403)
                self.set_secure_cookie("user", user)
        """,
        id="tornado-login-handler",
        at=(3, 7),
        message="raise web.HTTPError(429)",
    ),
    Invalid(
        """
        from django.contrib import admin
        from django.urls import path

        urlpatterns = [
            path("admin/", admin.site.urls),
        ]
        """,
        id="django-admin-site-login",
        at=(5, 5),
        message="Django admin's login view",
    ),
    Invalid(
        """
        from flask import Blueprint, request

        bp = Blueprint("users", __name__)

        @bp.post("/users")
        def create_user():
            user = User(email=request.json["email"])
            user.set_password(request.json["password"])
        """,
        id="open-sign-up-by-weak-signals",
        at=(6, 5),
        message="its path `/users`, calls `user.set_password`",
    ),
    Invalid(
        """
        from flask import Blueprint, request
        from werkzeug.security import check_password_hash

        bp = Blueprint("auth", __name__)

        @bp.route("/login", methods=["GET", "POST"])
        def login():
            user = User.query.filter_by(email=request.form["email"]).first()
            return str(check_password_hash(user.password_hash, request.form["password"]))
        """,
        id="flask-login",
        at=(7, 5),
        message='`login()` (`GET/POST /login`) is abuse-prone (calls `werkzeug.security.check_password_hash`; its path `/login`) but nothing rate limits it',
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask
        from flask_limiter import Limiter

        app = Flask(__name__)
        limiter = Limiter(get_remote_address, app=app)

        @app.post("/forgot-password")
        def forgot_password():
            send_password_reset_email(request.form["email"])
        """,
        id="flask-limiter-without-defaults",
        at=(8, 5),
        message="the `Limiter` `limiter` has no default limits",
    ),
    Invalid(
        """
        import os
        from flask import Flask
        from flask_limiter import Limiter

        app = Flask(__name__)
        limiter = Limiter(get_remote_address, app=app, default_limits=os.environ["LIMITS"].split(","))

        @app.post("/login")
        def login():
            return login_user(find(request.form))
        """,
        id="flask-limiter-dynamic-defaults",
        at=(9, 5),
        confidence=Confidence.LOW,
        message="takes its default limits from configuration",
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask
        from flask_limiter import Limiter

        app = Flask(__name__)
        limiter = Limiter(get_remote_address, app=app, default_limits=["100/hour"])

        @app.post("/login")
        @limiter.exempt
        def login():
            return login_user(find(request.form))
        """,
        id="flask-limiter-exempt",
        at=(9, 5),
    ),
    Invalid(
        """
        from flask import Blueprint, Flask, request
        from flask_limiter import Limiter

        app = Flask(__name__)
        limiter = Limiter(get_remote_address, app=app, default_limits=["100/hour"])
        api_bp = Blueprint("api", __name__)
        limiter.exempt(api_bp)

        @api_bp.post("/keys")
        def issue_key():
            body = request.get_json()
            if not verify_password(find(body["email"]).password_hash, body["password"]):
                abort(401)
            return new_key()
        """,
        id="flask-limiter-exempt-blueprint",
        at=(10, 5),
        message="`limiter.exempt(api_bp)` takes its blueprint out of the default limits",
    ),
    Invalid(
        """
        from starlette.routing import Route

        async def change_password(request):
            form = await request.form()
            is_admin(request)
            await set_hash(request.path_params["user_id"], hash_password(form["password"]))
            return RedirectResponse("/", status_code=303)

        routes = [Route("/users/{user_id}/password", change_password, methods=["POST"])]
        """,
        id="starlette-is-admin-test-guards-nothing",
        at=(3, 11),
    ),
    Invalid(
        """
        from django.core.mail import send_mail
        from rest_framework.decorators import api_view, permission_classes
        from rest_framework.permissions import AllowAny
        from medgate.throttling import ip_throttle

        @api_view(["POST"])
        @permission_classes([AllowAny])
        @ip_throttle("3/h")
        def resend_access_code(request):
            patient = Patient.objects.filter(mrn=request.data.get("mrn", "")).first()
            send_mail("Your access code", f"Your code is {patient.access_code}.", None, [patient.email])
            return Response(status=202)
        """,
        id="drf-access-code-resend-third-party-throttle",
        at=(9, 5),
        confidence=Confidence.LOW,
        message="`@medgate.throttling.ip_throttle` looks like a rate limiter",
    ),
    Invalid(
        """
        from fastapi import APIRouter, Depends
        from fastapi.security import OAuth2PasswordRequestForm

        router = APIRouter(prefix="/auth")

        @router.post("/token")
        async def login_for_access_token(form: OAuth2PasswordRequestForm = Depends()):
            user = authenticate_user(form.username, form.password)
            return {"access_token": create_access_token({"sub": user.username})}
        """,
        id="fastapi-token",
        at=(7, 11),
        message="Add `dependencies=[Depends(RateLimiter(times=5, seconds=60))]` to the route",
        doc=True,
    ),
    Invalid(
        """
        from fastapi import FastAPI
        from slowapi import Limiter

        limiter = Limiter(key_func=remote, default_limits=["100/minute"])
        app = FastAPI()

        @app.post("/signup")
        async def signup(body: SignupIn):
            ...
        """,
        id="slowapi-defaults-without-middleware",
        at=(8, 11),
        message="slowapi",
    ),
    Invalid(
        """
        from starlette.applications import Starlette
        from starlette.routing import Route

        async def login(request):
            form = await request.form()
            return JSONResponse(verify_password(form["password"], HASH))

        app = Starlette(routes=[Route("/login", login, methods=["POST"])])
        """,
        id="starlette-route",
        at=(4, 11),
    ),
    Invalid(
        """
        from django.contrib.auth import authenticate, login
        from django.shortcuts import render

        def login_view(request):
            if request.method == "POST":
                user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
                if user is not None:
                    login(request, user)
            return render(request, "login.html")
        """,
        id="django-function-view",
        at=(4, 5),
        message='`@ratelimit(key="ip", rate="5/m", block=True)`',
        doc=True,
    ),
    Invalid(
        """
        from django.views.generic import FormView

        class SignupView(FormView):
            form_class = SignupForm

            def form_valid(self, form):
                user = form.save(commit=False)
                user.set_password(form.cleaned_data["password"])
                user.save()
        """,
        id="django-class-view",
        at=(3, 7),
        message="`method_decorator(ratelimit(",
    ),
    Invalid(
        """
        from django.contrib.auth import authenticate
        from django_ratelimit.decorators import ratelimit

        RATELIMIT_ENABLE = False

        @ratelimit(key="ip", rate="5/m")
        def login_view(request):
            return authenticate(request, **request.POST.dict())
        """,
        id="django-ratelimit-disabled",
        at=(7, 5),
        message="`RATELIMIT_ENABLE = False`",
    ),
    Invalid(
        """
        from django.contrib.auth.forms import PasswordResetForm

        INSTALLED_APPS = ["axes"]
        MIDDLEWARE = ["axes.middleware.AxesMiddleware"]

        def password_reset(request):
            form = PasswordResetForm(request.POST)
            form.save(request=request)
        """,
        id="axes-does-not-cover-password-reset",
        at=(6, 5),
    ),
    Invalid(
        """
        from rest_framework.views import APIView
        from rest_framework.response import Response

        class LoginView(APIView):
            def post(self, request):
                user = authenticate(request, username=request.data["username"], password=request.data["password"])
                return Response({"token": issue(user)})
        """,
        id="drf-apiview",
        at=(4, 7),
        message="`throttle_classes = [AnonRateThrottle]`",
        doc=True,
    ),
    Invalid(
        """
        from rest_framework.views import APIView

        REST_FRAMEWORK = {"DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"]}

        class LoginView(APIView):
            throttle_classes = []

            def post(self, request):
                return Response(authenticate(request, **request.data))
        """,
        id="drf-throttle-classes-emptied",
        at=(5, 7),
        message="`throttle_classes = []` turns DRF throttling off",
    ),
    Invalid(
        """
        from rest_framework.decorators import api_view

        @api_view(["POST"])
        def register(request):
            user = User.objects.create_user(**request.data)
            return Response({"id": user.id})
        """,
        id="drf-api-view-register",
        at=(4, 5),
        message="`@throttle_classes([AnonRateThrottle])`",
    ),
    Invalid(
        """
        from rest_framework import viewsets
        from rest_framework.decorators import action

        class AuthViewSet(viewsets.GenericViewSet):
            @action(detail=False, methods=["post"])
            def login(self, request):
                return Response(authenticate(request, **request.data))

            @action(detail=False, methods=["post"])
            def logout(self, request):
                return Response()
        """,
        id="drf-viewset-action",
        at=(4, 7),
        message="its action `login()`",
    ),
    Invalid(
        """
        from myproject.views import BaseAPIView

        class ObtainTokenView(BaseAPIView):
            def post(self, request):
                return Response(authenticate(request, **request.data))
        """,
        id="drf-base-class-elsewhere",
        at=(3, 7),
        confidence=Confidence.LOW,
        message="defined in another module and may set `throttle_classes`",
    ),
    Invalid(
        """
        from django.urls import path
        from rest_framework_simplejwt.views import TokenObtainPairView, TokenRefreshView

        urlpatterns = [
            path("api/token/", TokenObtainPairView.as_view(), name="token_obtain_pair"),
            path("api/token/refresh/", TokenRefreshView.as_view(), name="token_refresh"),
        ]
        """,
        id="simplejwt-in-urls",
        at=(5, 5),
        count=2,
        message="`TokenObtainPairView` (`POST api/token/`)",
        doc=True,
    ),
    Invalid(
        """
        from django.contrib.auth import views as auth_views
        from django.urls import include, path

        urlpatterns = [
            path("accounts/login/", auth_views.LoginView.as_view()),
            path("accounts/", include("django.contrib.auth.urls")),
        ]
        """,
        id="django-auth-views-in-urls",
        at=(5, 5),
        count=2,
    ),
    Invalid(
        """
        from aiohttp import web

        routes = web.RouteTableDef()

        @routes.post("/login")
        async def login(request):
            data = await request.post()
            return web.json_response(check_password(data["u"], data["p"]))
        """,
        id="aiohttp",
        at=(6, 11),
    ),
    Invalid(
        """
        from aiohttp import web
        from myapp.limits import throttle

        routes = web.RouteTableDef()

        @routes.post("/login")
        @throttle(5)
        async def login(request):
            data = await request.post()
            return web.json_response(check_password(data["u"], data["p"]))
        """,
        id="unknown-throttle-decorator",
        at=(8, 11),
        confidence=Confidence.LOW,
        message="declare it in `rate-limiters`",
    ),
    Invalid(
        """
        from aiohttp import web

        async def login(request):
            data = await request.post()
            return web.json_response(check_password(data["u"], data["p"]))

        app = web.Application(middlewares=[rate_limit_middleware])
        app.router.add_post("/login", login)
        """,
        id="aiohttp-unknown-middleware",
        at=(3, 11),
        confidence=Confidence.LOW,
        message="middleware `rate_limit_middleware` may rate limit (declare it in `rate-limiters`)",
    ),
    Invalid(
        """
        from pyramid.view import view_config

        @view_config(route_name="login", request_method="POST", renderer="json")
        def login(request):
            return {"ok": check_password(request.POST["password"])}
        """,
        id="pyramid",
        at=(4, 5),
    ),
    Invalid(
        """
        from bottle import post, request

        @post("/login")
        def login():
            return check_password(request.forms.get("password"))
        """,
        id="bottle",
        at=(4, 5),
    ),
    Invalid(
        """
        from flask import Blueprint, Flask, request
        from flask_limiter import Limiter

        limiter = Limiter(key_func=remote)
        api_bp = Blueprint("api", __name__)
        auth_bp = Blueprint("auth", __name__)
        limiter.limit("30/minute")(api_bp)

        @auth_bp.post("/forgot-password")
        def forgot_password():
            send_reset_email(request.form["email"])
        """,
        id="another-blueprint-is-limited",
        at=(10, 5),
        message="`forgot_password()`",
    ),
    Invalid(
        """
        from django.http import JsonResponse
        from django.views.decorators.http import require_POST

        @require_POST
        def kiosk_unlock(request, label):
            terminal = KioskTerminal.objects.get(label=label)
            if request.POST.get("code", "") != terminal.unlock_pwd:
                return JsonResponse({"unlocked": False}, status=403)
            return JsonResponse({"unlocked": True})
        """,
        id="stored-secret-compared-with-input",
        at=(5, 5),
        message="compares `terminal.unlock_pwd` with submitted data",
    ),
    Invalid(
        """
        from aiohttp import web

        class SharedNoteView(web.View):
            async def post(self):
                body = await self.request.json()
                row = await fetch_share(self.request.match_info["share_id"])
                if row["share_password"] != body.get("password"):
                    raise web.HTTPForbidden()
                return web.json_response({"body": row["body"]})
        """,
        id="aiohttp-share-password",
        at=(3, 7),
        message='compares `row["share_password"]` with submitted data',
    ),
    Invalid(
        """
        from fastapi import APIRouter

        router = APIRouter(prefix="/auth")

        @router.post("/refresh")
        def refresh(body: RefreshIn):
            payload = decode_token(body.refresh_token)
            return {"access_token": create_access_token(payload["sub"])}
        """,
        id="fastapi-token-refresh",
        at=(6, 5),
        message="`refresh()`",
    ),
    Invalid(
        """
        from pyramid.view import view_config
        from wikifarm_common.limits import throttled

        @view_config(route_name="password_reset", renderer="json", request_method="POST", decorator=throttled("password-reset"))
        def request_reset(request):
            send_reset_code(request.json_body["email"])
        """,
        id="pyramid-decorator-from-another-package",
        at=(5, 5),
        message="looks like a rate limiter",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from django.contrib.auth import login

        INSTALLED_APPS = ["django.contrib.auth", "axes"]
        MIDDLEWARE = ["axes.middleware.AxesMiddleware"]

        def signup(request):
            form = SignupForm(request.POST or None)
            if request.method == "POST" and form.is_valid():
                member = Member.objects.create_user(email=form.cleaned_data["email"], password=form.cleaned_data["password1"])
                login(request, member)
        """,
        id="axes-does-not-cover-signup",
        at=(6, 5),
        message="`signup()`",
    ),
    Invalid(
        """
        import os
        from flask import Flask, request
        from flask_limiter import Limiter

        app = Flask(__name__)
        app.config["RATELIMIT_DEFAULT"] = os.environ.get("RATELIMIT_DEFAULT")
        limiter = Limiter(remote, app=app)

        @app.post("/login")
        def login():
            return authenticate(request.form["username"], request.form["password"])
        """,
        id="flask-default-limit-from-environment",
        at=(10, 5),
        message="from the environment",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from django.contrib.auth.mixins import LoginRequiredMixin
        from django.views.generic import View

        class TwoFactorDisableView(LoginRequiredMixin, View):
            def post(self, request):
                if not request.user.check_password(request.POST["password"]):
                    return HttpResponseForbidden()
                request.user.totp_devices.all().delete()
                return redirect("settings")
        """,
        id="django-signed-in-second-factor-settings-checking-a-password",
        at=(4, 7),
        message="`TwoFactorDisableView`",
    ),
    Invalid(
        """
        from django.views.generic import View
        from .ratelimit import rate_limit_reset

        class ResetPasswordView(View):
            def post(self, request):
                user = check_reset_token(request.POST["token"])
                user.set_password(request.POST["password"])
                rate_limit_reset("pwreset", user.pk)
                return redirect("login")
        """,
        id="rate-limit-reset-limits-nothing",
        at=(4, 7),
        message="nothing rate limits it",
    ),
    Invalid(
        """
        from django.views.generic import View

        class Login2FAView(View):
            def post(self, request):
                if totp.verify(request.POST["code"]):
                    login(request, request.session["pending_user"])
                return redirect("index")
        """,
        id="django-second-factor-at-login",
        at=(3, 7),
        message="`Login2FAView`",
    ),
    Invalid(
        """
        from flask import Blueprint, request
        from flask.views import MethodView
        from .extensions import limiter

        auth = Blueprint("auth", __name__)
        account = Blueprint("account", __name__)

        class Login(MethodView):
            def post(self):
                return authenticate(request.form["username"], request.form["password"])

        limiter.limit("5 per minute")(auth)
        account.add_url_rule("/login", view_func=Login.as_view("login"))
        """,
        id="flask-class-view-registered-on-unlimited-blueprint",
        at=(8, 7),
        message="`Login`",
    ),
    Invalid(
        """
        from flask import Blueprint, request

        bp = Blueprint("auth", __name__)

        @bp.route("/auth", methods=["POST"])
        @prepolicy(auth_timelimit, request=request)
        def get_auth_token():
            user = check_webui_user(request.form["username"], request.form["password"])
            return jwt.encode({"sub": user.login}, SECRET)
        """,
        id="flask-policy-decorator-that-may-limit",
        at=(7, 5),
        message="looks like a rate-limiting policy",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from django.views.generic import View

        class MagicLinkStartView(View):
            def post(self, request):
                send_mail("Your link", make_link(request.POST["email"]), None, [request.POST["email"]])
                return redirect("check-your-inbox")
        """,
        id="django-magic-link-first-step-sends-mail",
        at=(3, 7),
        message="`MagicLinkStartView`",
    ),
    Invalid(
        """
        from django.contrib.auth import authenticate, login
        from django.contrib.auth.decorators import user_passes_test
        from django.views.decorators.http import require_POST

        @require_POST
        @user_passes_test(lambda u: u.is_anonymous)
        def signin(request):
            user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
            login(request, user)
            return redirect("home")
        """,
        id="django-user-passes-test-is-not-admin-only",
        at=(7, 5),
        message="`signin()`",
        note="`user_passes_test` is a generic guard: here it keeps signed-in users out, it does not make the view staff-only",
    ),
    Invalid(
        """
        from flask import Blueprint, request

        bp = Blueprint("auth", __name__)

        @bp.route("/forgot", methods=["POST"])
        def forgot():
            send_account_recovery_password_link(request.form["email"])
            return "", 204
        """,
        id="flask-any-send-password-helper",
        at=(6, 5),
        message="`forgot()`",
    ),
]
