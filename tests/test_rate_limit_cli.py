"""BL401 through the real CLI on multi-module projects: limiters, DRF settings and router
dependencies declared in one module decide the findings of views in another; the
`rate-limiters` config key; the results cache re-decides when those modules change."""
from __future__ import annotations

from pathlib import Path

from conftest import backlint, backlint_json, write

EXTENSIONS_BARE = '''\
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address)
'''

EXTENSIONS_DEFAULTS = '''\
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, default_limits=["200 per day", "20 per minute"])
'''

EXTENSIONS_ENV = '''\
import os

from flask_limiter import Limiter
from flask_limiter.util import get_remote_address

limiter = Limiter(get_remote_address, default_limits=[os.environ["AUTH_LIMIT"]])
'''

FLASK_APP = '''\
from flask import Flask

from .extensions import limiter


def create_app():
    app = Flask(__name__)
    limiter.init_app(app)
    return app
'''

FLASK_VIEWS = '''\
from flask import Blueprint, request
from werkzeug.security import check_password_hash

from .models import User

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    user = User.query.filter_by(email=request.form["email"]).first()
    if user and check_password_hash(user.password_hash, request.form["password"]):
        return "ok"
    return "no", 401


@bp.post("/logout")
def logout():
    return "bye"
'''


def _lines(report: dict) -> list[int]:
    return [f["line"] for f in report["findings"] if f["rule"] == "BL401"]


def _flask_project(root: Path, extensions: str) -> None:
    write(root, "app/__init__.py", FLASK_APP)
    write(root, "app/extensions.py", extensions)
    write(root, "app/models.py", "class User: ...\n")
    write(root, "app/views.py", FLASK_VIEWS)


def test_flask_limiter_defaults_in_another_module(project: Path):
    _flask_project(project, EXTENSIONS_DEFAULTS)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 0 and _lines(report) == []

    write(project, "app/extensions.py", EXTENSIONS_BARE)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1
    [finding] = [f for f in report["findings"] if f["rule"] == "BL401"]
    assert finding["line"] == 10 and finding["column"] == 5  # the `def login` line
    assert finding["confidence"] == "high" and finding["checklist"] == "rate-limit"
    assert "`login()` (`GET/POST /login`)" in finding["message"]
    assert "check_password_hash" in finding["message"]
    assert "the `Limiter` `limiter` has no default limits" in finding["message"]
    assert '@limiter.limit("5 per minute")' in finding["message"]


def test_limiter_defaults_from_the_environment_are_low_confidence(project: Path):
    _flask_project(project, EXTENSIONS_ENV)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    [finding] = [f for f in report["findings"] if f["rule"] == "BL401"]
    assert finding["line"] == 10
    assert finding["confidence"] == "low" and finding["status"] == "unverified"
    assert "takes its default limits from configuration" in finding["message"]


def test_cache_redecides_when_the_limiter_module_changes(project: Path):
    """Cache on (the default): adding default limits in extensions.py removes the finding
    in views.py, removing them brings it back; a pre-commit run naming only views.py still
    sees the limiter."""
    _flask_project(project, EXTENSIONS_BARE)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1 and _lines(report) == [10]
    code, report = backlint_json(".", "--select", "BL401", cwd=project)  # warm
    assert _lines(report) == [10]

    write(project, "app/extensions.py", EXTENSIONS_DEFAULTS)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 0 and _lines(report) == []
    code, report = backlint_json("app/views.py", "--select", "BL401", cwd=project)  # pre-commit style
    assert code == 0 and _lines(report) == []

    write(project, "app/extensions.py", EXTENSIONS_BARE)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1 and _lines(report) == [10]
    code, report = backlint_json("app/views.py", "--select", "BL401", cwd=project)
    assert code == 1 and _lines(report) == [10]


SETTINGS_THROTTLED = '''\
INSTALLED_APPS = ["django.contrib.auth", "rest_framework"]
REST_FRAMEWORK = {
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.AnonRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "20/min"},
}
'''

SETTINGS_PLAIN = '''\
INSTALLED_APPS = ["django.contrib.auth", "rest_framework"]
REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"]}
'''

SETTINGS_AXES = '''\
INSTALLED_APPS = ["django.contrib.auth", "rest_framework", "axes"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
'''

DRF_VIEWS = '''\
from django.contrib.auth import authenticate
from rest_framework.response import Response
from rest_framework.views import APIView


class LoginView(APIView):
    def post(self, request):
        user = authenticate(request, username=request.data["username"], password=request.data["password"])
        return Response({"ok": user is not None})


class PasswordResetRequestView(APIView):
    def post(self, request):
        send_password_reset_email(request.data["email"])
        return Response(status=204)
'''

DRF_URLS = '''\
from django.urls import path
from rest_framework_simplejwt.views import TokenObtainPairView

from . import views

urlpatterns = [
    path("api/login/", views.LoginView.as_view()),
    path("api/password/reset/", views.PasswordResetRequestView.as_view()),
    path("api/token/", TokenObtainPairView.as_view()),
]
'''


def test_drf_default_throttles_in_settings_cover_views_elsewhere(project: Path):
    write(project, "config/settings.py", SETTINGS_PLAIN)
    write(project, "accounts/views.py", DRF_VIEWS)
    write(project, "accounts/urls.py", DRF_URLS)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1
    assert sorted(_lines(report)) == [6, 9, 12]  # LoginView, the simplejwt path(...), PasswordResetRequestView
    messages = " ".join(f["message"] for f in report["findings"])
    assert "`LoginView` (`POST api/login/`)" in messages  # the route comes from urls.py
    assert "`TokenObtainPairView` (`POST api/token/`)" in messages
    assert "throttle_classes = [AnonRateThrottle]" in messages

    write(project, "config/settings.py", SETTINGS_THROTTLED)  # cached run: re-decided
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 0 and report["findings"] == []
    code, report = backlint_json("accounts/views.py", "--select", "BL401", cwd=project)
    assert code == 0 and report["findings"] == []

    write(project, "config/settings.py", SETTINGS_AXES)  # axes locks out logins, not resets
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert sorted(_lines(report)) == [12]
    assert "PasswordResetRequestView" in report["findings"][0]["message"]


FASTAPI_AUTH = '''\
from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm

router = APIRouter(prefix="/auth")


@router.post("/token")
async def login(form: OAuth2PasswordRequestForm = Depends()):
    user = authenticate_user(form.username, form.password)
    return {"access_token": create_access_token({"sub": user.username})}
'''

FASTAPI_MAIN_LIMITED = '''\
from fastapi import Depends, FastAPI
from fastapi_limiter.depends import RateLimiter

from .routers import auth

app = FastAPI()
app.include_router(auth.router, dependencies=[Depends(RateLimiter(times=5, seconds=60))])
'''

FASTAPI_MAIN_PLAIN = '''\
from fastapi import FastAPI

from .routers import auth

app = FastAPI()
app.include_router(auth.router)
'''


def test_fastapi_limiter_dependency_on_include_router_in_another_module(project: Path):
    write(project, "api/routers/auth.py", FASTAPI_AUTH)
    write(project, "api/main.py", FASTAPI_MAIN_PLAIN)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1 and _lines(report) == [8]
    assert "`login()` (`POST /token`)" in report["findings"][0]["message"]
    assert "Depends(RateLimiter(times=5, seconds=60))" in report["findings"][0]["message"]

    write(project, "api/main.py", FASTAPI_MAIN_LIMITED)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 0 and _lines(report) == []
    code, report = backlint_json("api/routers/auth.py", "--select", "BL401", cwd=project)
    assert code == 0 and _lines(report) == []


THROTTLE_VIEWS = '''\
from aiohttp import web

from myapp.security import throttle

routes = web.RouteTableDef()


@routes.post("/login")
@throttle(per_minute=5)
async def login(request):
    data = await request.post()
    return web.json_response({"ok": check_password(data["user"], data["password"])})
'''


def test_rate_limiters_config_key_declares_an_in_house_decorator(project: Path):
    write(project, "myapp/views.py", THROTTLE_VIEWS)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    [finding] = report["findings"]
    assert finding["line"] == 10 and finding["confidence"] == "low"
    assert "declare it in `rate-limiters`" in finding["message"]

    write(project, "pyproject.toml", '[tool.backlint]\nrate-limiters = ["myapp.security.throttle"]\n')
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 0 and report["findings"] == []

    write(project, "pyproject.toml", '[tool.backlint]\nrate-limiters = ["throttle"]\n')  # bare names work too
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 0 and report["findings"] == []


def test_rate_limiters_config_key_declares_middleware(project: Path):
    write(project, "config/settings.py", 'MIDDLEWARE = ["core.middleware.LoginThrottleMiddleware"]\n')
    write(project, "accounts/views.py", DRF_VIEWS)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert sorted(_lines(report)) == [6, 12]
    assert {f["confidence"] for f in report["findings"]} == {"low"}  # it looks like a limiter
    write(project, "pyproject.toml", '[tool.backlint]\nrate-limiters = ["core.middleware.LoginThrottleMiddleware"]\n')
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 0 and report["findings"] == []


# -- blueprints and routers are told apart by the module that defines them -------------
FACTORY_LIMITS_API_BP = '''\
from flask import Flask

from . import api, auth
from .extensions import limiter


def create_app():
    app = Flask(__name__)
    limiter.init_app(app)
    limiter.limit("30/minute")(api.bp)
    app.register_blueprint(api.bp, url_prefix="/api")
    app.register_blueprint(auth.bp)
    return app
'''

API_BP = '''\
from flask import Blueprint, request

bp = Blueprint("api", __name__)


@bp.post("/token")
def issue_token():
    return create_token(request.json["key"])
'''

AUTH_BP = '''\
from flask import Blueprint, request

bp = Blueprint("auth", __name__)


@bp.post("/forgot-password")
def forgot_password():
    send_reset_email(request.form["email"])
    return "", 202
'''


def test_blueprint_limited_in_factory_does_not_cover_a_namesake_in_another_module(project: Path):
    write(project, "app/__init__.py", FACTORY_LIMITS_API_BP)
    write(project, "app/extensions.py", EXTENSIONS_BARE)
    write(project, "app/api.py", API_BP)
    write(project, "app/auth.py", AUTH_BP)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1
    assert [(f["path"].replace("\\", "/"), f["line"]) for f in report["findings"]] == [("app/auth.py", 7)]
    # pre-commit style: only the limited module is linted, the factory still counts
    code, report = backlint_json("app/api.py", "--select", "BL401", cwd=project)
    assert code == 0 and report["findings"] == []


# -- an in-house limiting decorator defined in another module ---------------------------
IN_HOUSE_LIMITER = '''\
import functools

from aiohttp import web


def rate_limited(bucket, limit, per_seconds):
    def decorator(handler):
        @functools.wraps(handler)
        async def wrapper(request):
            if await hits(bucket, request.remote, per_seconds) > limit:
                raise web.HTTPTooManyRequests()
            return await handler(request)

        return wrapper

    return decorator


def looks_like_a_limiter_but_is_not(handler):
    return handler
'''

AIOHTTP_AUTH = '''\
from aiohttp import web

from .limits import looks_like_a_limiter_but_is_not, rate_limited

routes = web.RouteTableDef()


@routes.post("/auth/login")
@rate_limited("login", limit=5, per_seconds=60)
async def login(request):
    body = await request.json()
    return web.json_response({"ok": check_password(body["password"], await stored(body["email"]))})


@routes.post("/auth/signup")
@looks_like_a_limiter_but_is_not
async def signup(request):
    body = await request.json()
    return web.json_response({"id": await create_account(body["email"], hash_password(body["password"]))})
'''


def test_in_house_decorator_answering_429_is_a_limiter(project: Path):
    write(project, "notes/__init__.py", "")
    write(project, "notes/limits.py", IN_HOUSE_LIMITER)
    write(project, "notes/auth.py", AIOHTTP_AUTH)
    code, report = backlint_json("notes/auth.py", "--select", "BL401", cwd=project)
    assert code == 1
    assert _lines(report) == [17]  # signup: its decorator never answers 429, it only has the name
    assert report["findings"][0]["confidence"] == "low"
    assert "declare it in `rate-limiters`" in report["findings"][0]["message"]


# -- several apps in one repository: one app's settings do not decide for another ------
AXES_SETTINGS = '''\
INSTALLED_APPS = ["django.contrib.auth", "axes"]
MIDDLEWARE = ["axes.middleware.AxesMiddleware"]
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
'''

PLAIN_SETTINGS = '''\
INSTALLED_APPS = ["django.contrib.auth"]
'''

DJANGO_LOGIN = '''\
from django.contrib.auth import authenticate, login


def login_view(request):
    user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
    if user is not None:
        login(request, user)
'''


def test_each_app_of_a_monorepo_has_its_own_settings(project: Path):
    for app, settings in (("shop", AXES_SETTINGS), ("forum", PLAIN_SETTINGS)):
        write(project, f"{app}/site/__init__.py", "")
        write(project, f"{app}/site/settings.py", settings)
        write(project, f"{app}/accounts/__init__.py", "")
        write(project, f"{app}/accounts/views.py", DJANGO_LOGIN)
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1
    # django-axes locks out the shop's logins, not the forum's
    assert [f["path"].replace("\\", "/") for f in report["findings"]] == ["forum/accounts/views.py"]


# -- limiting done by the project's helpers and forms, in other modules ---------------
RATELIMIT_HELPER = '''\
from django.core.cache import cache


def rate_limit(key, *parameters, max_num, expire_time):
    bucket = f"rl:{key}:{parameters}"
    count = cache.get_or_set(bucket, 0, expire_time)
    cache.incr(bucket)
    return count >= max_num


def rate_limit_reset(key, *parameters):
    cache.delete(f"rl:{key}:{parameters}")
'''

SHOP_FORMS = '''\
from django import forms

from shop.ratelimit import rate_limit


class RegistrationForm(forms.Form):
    email = forms.EmailField()

    def clean(self):
        if rate_limit("signup", self.request.META["REMOTE_ADDR"], max_num=10, expire_time=600):
            raise forms.ValidationError("Please wait 10 minutes before you try again.")
        return self.cleaned_data


class ChangePasswordForm(forms.Form):
    password = forms.CharField()
'''

SHOP_VIEWS = '''\
from django.views.generic import FormView

from shop.forms import ChangePasswordForm, RegistrationForm
from shop.ratelimit import rate_limit_reset


class RegistrationView(FormView):
    form_class = RegistrationForm


class ChangePasswordView(FormView):
    form_class = ChangePasswordForm

    def form_valid(self, form):
        self.request.user.set_password(form.cleaned_data["password"])
        rate_limit_reset("pwreset", self.request.user.pk)
        return super().form_valid(form)
'''

SHOP_URLS = '''\
from django.urls import path

from shop.views import ChangePasswordView, RegistrationView

urlpatterns = [
    path("register/", RegistrationView.as_view()),
    path("password/change/", ChangePasswordView.as_view()),
]
'''


def test_form_in_another_module_that_rate_limits_covers_its_view(project: Path):
    write(project, "shop/__init__.py", "")
    write(project, "shop/ratelimit.py", RATELIMIT_HELPER)
    write(project, "shop/forms.py", SHOP_FORMS)
    write(project, "shop/views.py", SHOP_VIEWS)
    write(project, "shop/urls.py", SHOP_URLS)
    code, report = backlint_json("shop/views.py", "--select", "BL401", cwd=project)
    assert code == 1
    assert _lines(report) == [11]  # ChangePasswordView: its form limits nothing, rate_limit_reset() limits nothing
    assert report["findings"][0]["confidence"] == "high"


MFA_HELPERS = '''\
from fastapi import HTTPException


async def load_challenge(token, attempt=False):
    challenge = await Challenges.get(token)
    if attempt and challenge.attempts >= 5:
        raise HTTPException(429, "Too many codes. Please sign in again.")
    return challenge


async def verify_mfa_challenge(token, code):
    challenge = await load_challenge(token, attempt=True)
    return totp_matches(challenge.secret, code)


async def send_code(email):
    await mailer.send(email, new_code())
'''

MFA_ROUTER = '''\
from fastapi import APIRouter

from app.utils import mfa

router = APIRouter()


@router.post("/mfa/verify")
async def verify_mfa(form: MfaVerifyForm):
    return await mfa.verify_mfa_challenge(form.challenge_token, form.code)


@router.post("/mfa/resend-code")
async def resend_code(form: MfaResendForm):
    return await mfa.send_code(form.email)
'''


def test_helper_in_another_module_answering_429_covers_its_endpoint(project: Path):
    write(project, "app/__init__.py", "")
    write(project, "app/utils/__init__.py", "")
    write(project, "app/utils/mfa.py", MFA_HELPERS)
    write(project, "app/routers/__init__.py", "")
    write(project, "app/routers/mfa.py", MFA_ROUTER)
    code, report = backlint_json("app/routers/mfa.py", "--select", "BL401", cwd=project)
    assert code == 1
    assert _lines(report) == [14]  # resend_code: send_code() never answers 429


DJANGO_URLS_LOGIN = '''\
from django.urls import path

from accounts import views

urlpatterns = [path("login/", views.login_view)]
'''

DJANGO_SESSION_HELPER = '''\
from django.contrib.auth import login


def session_login(request, user, keep_logged_in=False):
    login(request, user)
    request.session["long_session"] = keep_logged_in
'''


def test_unrouted_helper_taking_request_is_not_a_django_view(project: Path):
    write(project, "accounts/__init__.py", "")
    write(project, "accounts/urls.py", DJANGO_URLS_LOGIN)
    write(project, "accounts/views.py", DJANGO_LOGIN)
    write(project, "accounts/security.py", DJANGO_SESSION_HELPER)
    code, report = backlint_json("accounts", "--select", "BL401", cwd=project)
    assert code == 1
    assert [(f["path"].replace("\\", "/").rsplit("/", 1)[-1], f["line"]) for f in report["findings"]] == [("views.py", 4)]


FORUM_AUTH_VIEWS = '''\
from flask import Blueprint, request
from flask.views import MethodView

from forum.extensions import limiter
from forum.utils import register_view

auth = Blueprint("auth", __name__)


class Login(MethodView):
    def post(self):
        return authenticate(request.form["username"], request.form["password"])


class Register(MethodView):
    def post(self):
        return create_user(request.form["username"], request.form["password"])


def init(app):
    limiter.limit("5 per minute")(auth)
    register_view(auth, routes=["/login"], view_func=Login.as_view("login"))
'''


def test_class_view_registered_on_a_limited_blueprint_through_a_helper(project: Path):
    write(project, "forum/__init__.py", "")
    write(project, "forum/extensions.py", EXTENSIONS_BARE)
    write(project, "forum/utils.py", "def register_view(bp, routes, view_func):\n    for route in routes:\n        bp.add_url_rule(route, view_func=view_func)\n")
    write(project, "forum/auth.py", FORUM_AUTH_VIEWS)
    code, report = backlint_json("forum/auth.py", "--select", "BL401", cwd=project)
    assert code == 1
    assert _lines(report) == [15]  # Register is never registered on the limited blueprint


def test_limiters_with_computed_and_literal_switches_do_not_stop_the_run(project: Path):
    """Two limiters, one switched on from the environment: their facts must merge (a bool
    and a computed value once made the merge raise and the whole run stop)."""
    write(
        project,
        "app/extensions.py",
        "import os\nfrom flask_limiter import Limiter\n\n"
        'a = Limiter(key_func=str, enabled=os.environ.get("RL") == "1", default_limits=["5/minute"])\n'
        'b = Limiter(key_func=str, default_limits=["5/minute"])\n',
    )
    write(
        project,
        "app/views.py",
        "from flask import Blueprint, request\n\nbp = Blueprint('auth', __name__)\nPREFIX = '/api'\n\n\n"
        "def login():\n    return check_password_hash(find(request.form['name']).pw, request.form['password'])\n\n\n"
        "bp.add_url_rule(PREFIX + '/login', view_func=login, methods=['POST'])\n",
    )
    proc = backlint("--format", "json", ".", cwd=project)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr and "<dynamic>" not in proc.stdout


def test_django_defender_locks_out_logins_project_wide(project: Path):
    """django-defender in settings.py (its app and FailedLoginMiddleware) protects login
    views elsewhere; without it the same view is reported."""
    write(project, "site/__init__.py", "")
    write(project, "site/settings.py", PLAIN_SETTINGS)
    write(project, "accounts/__init__.py", "")
    write(project, "accounts/views.py", DJANGO_LOGIN)
    write(project, "accounts/urls.py", "from django.urls import path\n\nfrom accounts import views\n\nurlpatterns = [path('login/', views.login_view)]\n")
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1 and [f["path"].replace("\\", "/") for f in report["findings"]] == ["accounts/views.py"]
    write(
        project,
        "site/settings.py",
        'INSTALLED_APPS = ["django.contrib.auth", "defender"]\n'
        'MIDDLEWARE = ["defender.middleware.FailedLoginMiddleware"]\n',
    )
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert (code, report["findings"]) == (0, [])


def test_flask_limiter_application_limits_cover_every_route(project: Path):
    """`application_limits` (one budget shared by all routes) limits the login route too;
    an empty list does not."""
    write(project, "app/__init__.py", "")
    limiter = "from flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n\nlimiter = Limiter(get_remote_address, application_limits={})\n"
    write(project, "app/extensions.py", limiter.format('["200 per minute"]'))
    write(
        project,
        "app/auth.py",
        "from flask import Blueprint, request\nfrom werkzeug.security import check_password_hash\n\nbp = Blueprint('auth', __name__)\n\n\n"
        "@bp.post('/login')\ndef login():\n    user = find_user(request.form['email'])\n"
        "    return {'ok': check_password_hash(user.password_hash, request.form['password'])}\n",
    )
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert (code, report["findings"]) == (0, [])
    write(project, "app/extensions.py", limiter.format("[]"))
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    assert code == 1 and [f["line"] for f in report["findings"]] == [8]


def test_blueprint_exempted_in_another_module_loses_the_default_limits(project: Path):
    """`limiter.exempt(api_bp)` in the app factory takes every route of the blueprint
    (defined in another module) out of `RATELIMIT_DEFAULT`; other blueprints keep it."""
    write(project, "shop/__init__.py", (
        "from flask import Flask\n\nfrom .extensions import limiter\n\n\n"
        "def create_app():\n"
        "    app = Flask(__name__)\n"
        "    app.config.from_object('shop.config.Config')\n"
        "    limiter.init_app(app)\n"
        "    from .api.routes import api_bp\n"
        "    from .auth import auth_bp\n"
        "    limiter.exempt(api_bp)\n"
        "    app.register_blueprint(api_bp, url_prefix='/api')\n"
        "    app.register_blueprint(auth_bp)\n"
        "    return app\n"
    ))
    write(project, "shop/config.py", "class Config:\n    RATELIMIT_DEFAULT = \"300 per hour\"\n")
    write(project, "shop/extensions.py", EXTENSIONS_BARE)
    write(project, "shop/api/__init__.py", "")
    write(project, "shop/api/routes.py", (
        "from flask import Blueprint, abort, request\n\n"
        "from ..security import verify_password\n\n"
        "api_bp = Blueprint('api', __name__)\n\n\n"
        "@api_bp.post('/keys')\n"
        "def issue_key():\n"
        "    body = request.get_json()\n"
        "    if not verify_password(find(body['email']), body['password']):\n"
        "        abort(401)\n"
        "    return 'key'\n"
    ))
    write(project, "shop/auth.py", FLASK_VIEWS.replace('bp = Blueprint("auth"', 'auth_bp = Blueprint("auth"').replace("@bp.route", "@auth_bp.route"))
    code, report = backlint_json(".", "--select", "BL401", cwd=project)
    findings = [f for f in report["findings"] if f["rule"] == "BL401"]
    assert [(f["path"].replace("\\", "/").rsplit("shop/", 1)[-1], f["line"]) for f in findings] == [("api/routes.py", 9)]
    assert findings[0]["confidence"] == "high"
    assert "`limiter.exempt(api_bp)` takes its blueprint out of the default limits" in findings[0]["message"]
