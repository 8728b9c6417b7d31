"""BL101: a password (or a fresh token) written to storage without a hasher."""
from __future__ import annotations

import re
from collections.abc import Iterator

import ast

from backlint.astrule import Invalid, RuleMeta, Valid
from backlint.finding import Confidence, Severity
from backlint.rules.passwords.astutil import Arg, Spot, Text, call_args, class_args, dotted_name, lines_of
from backlint.rules.passwords.base import PasswordRule, persists
from backlint.rules.passwords.common import HASHED, Origin, _key, _string, sql_parameter
from backlint.knowledge.passwords import (
    advice,
    ambiguous_password_field,
    data,
    is_hash_field,
    is_hashy_name,
    is_password_field,
    is_password_value,
    is_token_field,
    is_token_of,
    placeholder_columns,
    snake,
)

re_password = re.compile(r"passw|pwd")
_STORE_METHODS = {"create", "acreate", "update", "aupdate", "update_or_create", "insert", "values", "insert_one", "replace", "get_or_create"}
_SQL_METHODS = {"execute", "executemany", "fetch", "fetchrow", "fetchval", "exec_driver_sql", "execute_sql"}
_NOT_MODELS = ("Form", "Schema", "Serializer", "Create", "Update", "In", "Request", "Auth", "Config", "Settings", "Client", "Credentials", "Login", "Payload", "Body", "Base", "Out", "Response", "Params")


class PasswordStoredInClear(PasswordRule):
    """
    ## What it does
    Finds passwords written to storage as they were typed: an ORM attribute assignment
    followed by `save()`/`commit()` (`user.password = request.form["password"]`), a
    model constructor or `objects.create()`/`update()` keyword (`User(password=...)`,
    `User.objects.create(password=...)`, peewee/tortoise `User.create(password=...)`),
    and DB-API `INSERT`/`UPDATE` parameters that fill a password column. The value is
    clear text when it comes from the request (Flask `request.form/json/args`, Django
    `request.POST`, DRF `validated_data`, Django `cleaned_data`) or is a variable, key
    or attribute named like a password, and it did not pass through a hasher on the way
    (followed through the local variables of the function).

    Hashers are Django's `make_password`/`set_password`, werkzeug's
    `generate_password_hash`, passlib, bcrypt, argon2-cffi, `hashlib.scrypt`/
    `pbkdf2_hmac`, pwdlib, the functions listed under `password-hashers` in
    `[tool.backlint]`, and the project's own helpers that return one of these
    (found in every module of the project). A digest such as `sha256(...)` is not clear
    text: a weak one is the `weak-hash` rule's business.

    Assignments that go through a hashing setter are fine: `@password.setter`,
    `password = property(get, set)` or `db.synonym(..., descriptor=property(get, set))`,
    or a descriptor class whose `__set__` hashes, found for the object's own class
    (`user = User(...)`, `User.query....first()`, `get_object_or_404(User, ...)`) in any
    module of the project. So are parameters whose in-project callers pass a hasher's
    result, dict keys the building function hashed, and copies of a stored record's
    password. Outbound credentials that must stay reversible (`smtp_password`,
    `ldap_bind_password`) and flags (`save_password`) are not password fields.

    Reported with `confidence: low`: a digest-named import column or request key, or a
    digest-named parameter, stored in a `password` column nothing hashes into; a
    digest-named column of imported rows (an uploaded file, or rows the function is
    handed) stored as is in a hash column (`password_hash=row["password_digest"]`); a value
    hashed by a hash method of a third-party client object (`identity.hash_password(p)`,
    also when the client comes from a factory such as `IdentityClient.from_env()`).
    A clear password stored in a hash column (`user.hashed_password = body.new_password`,
    `User(hashed_password=body.password)`) is reported.

    Reset, invite, session tokens, access codes and API keys stored raw (a fresh
    `secrets.token_urlsafe()` or request data in a `reset_token`/`access_code`/`api_key` column) are
    reported with `confidence: low`: a digest would do for a lookup, but some designs
    need the raw value.

    ## Why is this bad?
    Whoever reads the table (a backup, a SQL injection, a log of the row, a curious
    admin) gets every user's password, and users reuse passwords across sites
    (CWE-256, CWE-312). A slow salted hash lets you check a password without being
    able to recover it.

    ## Known problems
    Values are followed inside one function; a value hashed in another module and
    passed in as a parameter named `password` would be reported (name it `password_hash`).
    An attribute assignment is reported only when the function saves, commits or adds
    something, or when it is `self.password = ...` inside a model class. A password handed
    to the project's own constructor method (`Account.create(password=...)` defined in the
    project) is not reported when that method hashes, and is `confidence: low` when it
    delegates; so is a store the project may hash in a save hook (Django or tortoise
    `pre_save`, SQLAlchemy `before_insert`/`before_update`) whose handler hashes. A field
    named just `pwd` may be a working directory: a value not named like a password stored
    in it is `confidence: low`.
    """

    META = RuleMeta(
        code="BL101",
        name="password-stored-in-clear",
        checklist="plaintext-password",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="A password (or a fresh token) is stored without a hasher",
        cwe=(256, 312),
        owasp=("A02:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/256.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
            "https://docs.djangoproject.com/en/stable/topics/auth/passwords/",
            "https://werkzeug.palletsprojects.com/en/stable/utils/#werkzeug.security.generate_password_hash",
        ),
        escalate=True,
    )
    VALID = [
        Valid(
            """
            from django.db import models

            class Account(models.Model):
                password = models.CharField(max_length=128)

                @classmethod
                def create(cls, username, password):
                    account = cls(username=username)
                    account.set_password(password)
                    account.save()
                    return account

            def signup(request):
                Account.create(username=request.POST["username"], password=request.POST["password"])
            """,
            id="project-create-classmethod-that-hashes",
        ),
        Valid(
            """
            from flask import request
            from werkzeug.security import generate_password_hash

            def register(db):
                user = User(email=request.form["email"])
                user.password = generate_password_hash(request.form["password"])
                db.session.add(user)
                db.session.commit()
            """,
            id="flask-werkzeug-hash",
            doc=True,
        ),
        Valid(
            """
            from django.contrib.auth.hashers import make_password

            def signup(request):
                Account.objects.create(name=request.POST["name"], password=make_password(request.POST["password"]))
            """,
            id="django-make-password",
        ),
        Valid(
            """
            def change(request, user):
                user.set_password(request.POST["new_password"])
                user.save()
            """,
            id="django-set-password",
        ),
        Valid(
            """
            from passlib.context import CryptContext

            pwd_context = CryptContext(schemes=["argon2"])

            def create_user(db, body):
                hashed = pwd_context.hash(body.password)
                db.add(User(email=body.email, password=hashed))
                db.commit()
            """,
            id="passlib-through-a-variable",
        ),
        Valid(
            """
            import bcrypt

            def register(cur, name, password):
                digest = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
                cur.execute("INSERT INTO users (name, password) VALUES (%s, %s)", (name, digest))
            """,
            id="bcrypt-dbapi",
        ),
        Valid(
            """
            from argon2 import PasswordHasher

            ph = PasswordHasher()

            def reset(user, new_password):
                user.password = ph.hash(new_password)
                user.save()
            """,
            id="argon2-cffi",
        ),
        Valid(
            """
            import hashlib, os

            def store(user, password):
                salt = os.urandom(16)
                user.password = salt + hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
                user.save()
            """,
            id="hashlib-scrypt",
        ),
        Valid(
            """
            import hashlib

            def store(conn, uid, password):
                conn.execute("UPDATE users SET password = ? WHERE id = ?", (hashlib.pbkdf2_hmac("sha256", password.encode(), b"s", 600000), uid))
            """,
            id="hashlib-pbkdf2-dbapi",
        ),
        Valid(
            """
            from pwdlib import PasswordHash

            password_hash = PasswordHash.recommended()

            async def create(session, data):
                session.add(User(email=data.email, password=password_hash.hash(data.password)))
                await session.commit()
            """,
            id="pwdlib",
        ),
        Valid(
            """
            import hashlib, secrets

            def invite(db, user):
                token = secrets.token_urlsafe(32)
                user.invite_token = hashlib.sha256(token.encode()).hexdigest()
                db.session.commit()
                return token
            """,
            id="token-digest",
        ),
        Valid(
            """
            class SmtpClient:
                def __init__(self, host, password):
                    self.password = password
            """,
            id="not-a-model",
        ),
        Valid(
            """
            from flask import request

            def login(db):
                form = LoginForm(password=request.form["password"])
                db.session.commit()
            """,
            id="form-constructor-is-not-storage",
        ),
        Valid(
            """
            import bcrypt
            from sqlalchemy import Column, Unicode

            class User(Base):
                _password = Column("password", Unicode(255))

                @property
                def password(self):
                    return self._password

                @password.setter
                def password(self, raw):
                    self._password = bcrypt.hashpw(raw.encode(), bcrypt.gensalt()).decode()

            def signup(request):
                user = User(name=request.json_body["name"])
                user.password = request.json_body["password"]
                request.dbsession.add(user)
            """,
            id="hashing-property-setter",
        ),
        Valid(
            """
            def save_mail_settings(request, config):
                config.smtp_password = request.POST["smtp_password"]
                config.save()
            """,
            id="outbound-service-credential",
        ),
        Valid(
            """
            from werkzeug.security import generate_password_hash

            class User(db.Model):
                _password = db.Column("password", db.String(120))

                def _get_password(self):
                    return self._password

                def _set_password(self, password):
                    self._password = generate_password_hash(password)

                password = db.synonym("_password", descriptor=property(_get_password, _set_password))

            def create(username, password):
                user = User(username=username, password=password)
                db.session.add(user)
                db.session.commit()
            """,
            id="synonym-with-a-hashing-property",
        ),
        Valid(
            """
            class PasswordProperty:
                def __init__(self, attr):
                    self.attr = attr

                def __set__(self, instance, value):
                    setattr(instance, self.attr, self.backend.create_hash(value))

            class Identity(db.Model):
                password_hash = db.Column(db.String)
                password = PasswordProperty("password_hash")

            def register(form):
                db.session.add(Identity(provider="local", password=form.data["password"]))
                db.session.commit()
            """,
            id="hashing-descriptor",
        ),
        Valid(
            """
            from django.contrib.auth.hashers import make_password
            from django.db import models

            class BaseUser(models.Model):
                password = models.CharField(max_length=128)
                _password = None  # the raw password, kept in memory for a signal

                def set_password(self, raw_password):
                    self.password = make_password(raw_password)
                    self._password = raw_password
            """,
            id="private-attribute-is-not-a-column",
        ),
        Valid(
            """
            from flask_security.utils import hash_password

            def validate(data):
                new_data = {"username": data["username"]}
                new_data["password"] = hash_password(data["password"])
                return new_data

            def create_user(new_data):
                usr = User(username=new_data["username"], password=new_data["password"])
                db.session.add(usr)
                db.session.commit()
            """,
            id="dict-whose-key-is-hashed-by-its-builder",
        ),
        Valid(
            """
            class Auths:
                async def update_user_password_by_id(self, user_id, new_password, db):
                    await db.execute(update(Auth).where(Auth.id == user_id).values(password=new_password))
                    await db.commit()

            async def change(user, form, db):
                hashed = get_password_hash(form.password)
                await Auths().update_user_password_by_id(user.id, hashed, db=db)
            """,
            id="parameter-hashed-by-the-callers",
        ),
        Valid(
            """
            def copy_restrictions(page, page_copy, user):
                for view_restriction in page.view_restrictions.all():
                    copy = PageViewRestriction(restriction_type=view_restriction.restriction_type, password=view_restriction.password)
                    copy.save(user=user)
            """,
            id="copy-of-a-stored-record",
        ),
        Valid(
            """
            def create_user(body, db):
                db.add(User(email=body.email, hashed_password=hash_password(body.password)))
                db.commit()
            """,
            id="hashed-password-keyword",
        ),
        Valid(
            """
            def copy_users(old_session, db):
                for row in old_session.execute("SELECT email, password_hash FROM users").mappings():
                    db.add(User(email=row["email"], password_hash=row["password_hash"]))
                db.commit()
            """,
            id="hash-copied-between-databases-of-the-app",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from django.db import models

            class ArchiveResult(models.Model):
                cmd = models.JSONField()
                pwd = models.CharField(max_length=256)

            def record(result):
                ArchiveResult.objects.create(cmd=result.cmd, pwd=result.pwd)
            """,
            id="pwd-is-also-a-working-directory-is-low",
            at=(8, 50),
            confidence=Confidence.LOW,
            message="the usual name of a working directory",
        ),
        Invalid(
            """
            from django.db import models

            from .factory import create_account

            class Account(models.Model):
                password = models.CharField(max_length=128)

                @classmethod
                def create(cls, username, password):
                    return create_account(username, password)

            def signup(request):
                Account.create(username=request.POST["username"], password=request.POST["password"])
            """,
            id="project-create-classmethod-that-delegates-is-low",
            at=(13, 55),
            confidence=Confidence.LOW,
            message="is the project's own method",
        ),
        Invalid(
            """
            from tortoise import signals

            class LoginProvider:
                def register(self, app):
                    signals.pre_save(self.admin_model)(self.pre_save_admin)

                async def pre_save_admin(self, _, instance, using_db, update_fields):
                    instance.password = hash_password(instance.password)

                async def password(self, request, admin, form):
                    admin.password = form["new_password"]
                    await admin.save(update_fields=["password"])
            """,
            id="tortoise-pre-save-hook-that-hashes-is-low",
            at=(11, 9),
            confidence=Confidence.LOW,
            message="a save hook registered for `self.admin_model` hashes passwords",
        ),
        Invalid(
            """
            from flask import request

            def signup(db):
                if request.form: user = User(password=request.form["password"]); db.session.add(user)
            """,
            id="one-line-suite",
            at=(4, 34),
            message="stored in `password=` of `User()`",
        ),
        Invalid(
            """
            from flask import request

            def register(db):
                user = User(email=request.form["email"])
                user.password = request.form["password"]
                db.session.add(user)
                db.session.commit()
            """,
            id="flask-sqlalchemy-assignment",
            at=(5, 5),
            message="`request.form[\"password\"]` is stored in `user.password` without hashing: store `generate_password_hash(password)`",
            doc=True,
        ),
        Invalid(
            """
            from flask import request
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()

            class User(db.Model):
                id = db.Column(db.Integer, primary_key=True)

            def register():
                data = request.get_json()
                db.session.add(User(email=data["email"], password=data["password"]))
                db.session.commit()
            """,
            id="flask-model-constructor",
            at=(11, 46),
            message="`data[\"password\"]` (from `request.get_json()`) is stored in `password=` of `User()`",
        ),
        Invalid(
            """
            from django.db import models

            class Member(models.Model):
                password = models.CharField(max_length=64)

            def signup(request):
                Member.objects.create(name=request.POST["name"], password=request.POST["password"])
            """,
            id="django-objects-create",
            at=(7, 54),
            message="user.set_password(raw)",
            doc=True,
        ),
        Invalid(
            """
            def change_password(request):
                member = Member.objects.get(pk=request.user.pk)
                member.password = request.POST.get("new_password")
                member.save()
            """,
            id="django-assignment-save",
            at=(3, 5),
        ),
        Invalid(
            """
            def reset(request, pk):
                Member.objects.filter(pk=pk).update(password=request.POST["password"])
            """,
            id="django-queryset-update",
            at=(2, 41),
        ),
        Invalid(
            """
            from rest_framework import serializers

            class MemberSerializer(serializers.ModelSerializer):
                def create(self, validated_data):
                    return Member.objects.create(username=validated_data["username"], password=validated_data["password"])
            """,
            id="drf-validated-data",
            at=(5, 75),
        ),
        Invalid(
            """
            from fastapi import FastAPI
            from sqlmodel import SQLModel, Field, Session

            app = FastAPI()

            class User(SQLModel, table=True):
                id: int = Field(primary_key=True)
                password: str

            @app.post("/users")
            def create(body: UserIn, session: Session):
                user = User(email=body.email, password=body.password)
                session.add(user)
                session.commit()
            """,
            id="fastapi-body-model",
            at=(12, 35),
            message="pwdlib",
        ),
        Invalid(
            """
            def register(cur, name, password):
                cur.execute("INSERT INTO users (name, password) VALUES (%s, %s)", (name, password))
            """,
            id="dbapi-insert",
            at=(2, 72),
            message="column `password` of the SQL `INSERT`",
            doc=True,
        ),
        Invalid(
            """
            def change(conn, uid, new_password):
                sql = "UPDATE users SET password = :pw WHERE id = :id"
                conn.execute(sql, {"pw": new_password, "id": uid})
            """,
            id="dbapi-update-named",
            at=(3, 23),
        ),
        Invalid(
            """
            from peewee import Model, CharField

            class User(Model):
                password = CharField()

            def add(form):
                User.create(name=form["name"], password=form["password"])
            """,
            id="peewee-create",
            at=(7, 36),
        ),
        Invalid(
            """
            from myapp.models import Account

            def open_account(session, username, raw_password):
                account = Account(username=username, password=raw_password)
                session.add(account)
                session.commit()
            """,
            id="imported-model-added-to-session",
            at=(4, 42),
            message="`raw_password` is stored in `password=` of `Account()`",
        ),
        Invalid(
            """
            from flask_sqlalchemy import SQLAlchemy

            db = SQLAlchemy()

            class User(db.Model):
                def __init__(self, email, password):
                    self.email = email
                    self.password = password
            """,
            id="model-init",
            at=(8, 9),
        ),
        Invalid(
            """
            import secrets

            def forgot(db, user):
                user.reset_token = secrets.token_urlsafe(32)
                db.session.commit()
            """,
            id="reset-token-raw",
            at=(4, 5),
            confidence=Confidence.LOW,
            message="sha256",
        ),
        Invalid(
            """
            import csv, io

            def import_users(request):
                for row in csv.DictReader(io.StringIO(request.POST["file"].file.read().decode())):
                    user = User(name=row["name"])
                    user.legacy_pwd = row["password"]
                    request.dbsession.add(user)
            """,
            id="imported-file-row",
            at=(6, 9),
            message="`row[\"password\"]` (from `row`) is stored in `user.legacy_pwd`",
        ),
        Invalid(
            """
            def kiosk_set_code(request, label):
                terminal = get_object_or_404(KioskTerminal, label=label)
                terminal.unlock_pwd = request.POST["code"]
                terminal.save(update_fields=["unlock_pwd"])
            """,
            id="request-data-under-any-key",
            at=(3, 5),
            message="`request.POST[\"code\"]` is stored in `terminal.unlock_pwd`",
        ),
        Invalid(
            """
            import csv, io

            def import_customers(request):
                for row in csv.DictReader(io.TextIOWrapper(request.FILES["file"])):
                    User.objects.create(username=row["email"], password=row["password_digest"])
            """,
            id="imported-digest-column",
            at=(5, 52),
            confidence=Confidence.LOW,
            message="input named as a digest",
        ),
        Invalid(
            """
            def provision(cur, username, password_hash):
                cur.execute("INSERT INTO operators (username, password) VALUES (%s, %s)", (username, password_hash))
            """,
            id="digest-named-parameter",
            at=(2, 80),
            confidence=Confidence.LOW,
            message="parameter `password_hash`",
        ),
        Invalid(
            """
            from fastapi import APIRouter

            router = APIRouter()

            @router.post("/me/password")
            def change_password(body: PasswordChange, user=Depends(current_user), db=Depends(get_db)):
                user.hashed_password = body.new_password
                db.commit()
            """,
            id="clear-password-in-hash-column",
            at=(7, 5),
            message="a column meant for a hash",
        ),
        Invalid(
            """
            async def share(request):
                body = await request.json()
                await request.app["pool"].fetchval(
                    "INSERT INTO shares (note_id, share_password) VALUES ($1, $2) RETURNING id",
                    int(request.match_info["note_id"]), body["password"],
                )
            """,
            id="asyncpg-parameters-one-by-one",
            at=(5, 9),
            message="column `share_password` of the SQL `INSERT`",
        ),
        Invalid(
            """
            import secrets

            def forgot(request, member):
                code = f"{secrets.randbelow(1_000_000):06d}"
                PasswordResetCode.objects.create(member=member, code=code)
            """,
            id="reset-code-of-a-reset-model",
            at=(5, 53),
            confidence=Confidence.LOW,
        ),
        Invalid(
            """
            from corp_identity import IdentityClient

            identity = IdentityClient("https://id.example.com")

            def create_user(body, db):
                user = User(email=body.email)
                user.hashed_password = identity.hash_password(body.password)
                db.add(user)
                db.commit()
            """,
            id="hash-method-of-a-third-party-client",
            at=(7, 5),
            confidence=Confidence.LOW,
            message="what `identity.hash_password()` of `corp_identity.IdentityClient` returns cannot be seen",
        ),
        Invalid(
            """
            from corp_identity import IdentityClient

            identity = IdentityClient.from_env()

            def create_user(body, db):
                db.add(User(email=body.email, hashed_password=identity.hash_password(body.password)))
                db.commit()
            """,
            id="client-made-by-a-factory-classmethod",
            at=(6, 35),
            confidence=Confidence.LOW,
            message="what `identity.hash_password()` of `corp_identity.IdentityClient` returns cannot be seen",
        ),
        Invalid(
            """
            def set_user_password(body, db):
                db.add(User(email=body.email, hashed_password=body.new_password))
                db.commit()
            """,
            id="clear-password-in-hash-column-keyword",
            at=(2, 35),
            message="`body.new_password` is stored in `hashed_password=` of `User()`, a column meant for a hash",
        ),
        Invalid(
            """
            from django.utils.crypto import get_random_string

            def issue_access_code(member):
                code = get_random_string(10)
                member.access_code = code
                member.save(update_fields=["access_code"])
                return code
            """,
            id="generated-access-code",
            at=(5, 5),
            confidence=Confidence.LOW,
            message="is stored raw in `member.access_code`",
        ),
        Invalid(
            """
            def import_members(rows):
                for row in rows:
                    db.session.add(Member(email=row["email"], password_hash=row["password_digest"]))
                db.session.commit()
            """,
            id="digest-column-of-rows-handed-in",
            at=(3, 51),
            confidence=Confidence.LOW,
            message="`row[\"password_digest\"]` (a digest imported from `rows`) is stored as is in `password_hash=` of `Member()`",
        ),
    ]

    # -- attribute assignment: user.password = ...
    def visit_Assign(self, node: ast.Assign) -> None:
        for t in node.targets:
            if isinstance(t, ast.Attribute):
                field = t.attr
                if not (is_password_field(field) or is_token_field(field) or is_hash_field(field)):
                    continue
                owner = dotted_name(t.value) or self.text().source(t.value, 30)
                if owner.split(".")[0] in ("settings", "config", "app", "os", "conf", "current_app") or owner.isupper():
                    continue
                klass = self.enclosing_class() if owner == "self" else None
                if owner == "self":
                    if klass is None or not self._model_class():
                        continue
                    if field.startswith("_") and not _declares(klass, field, self.text()):
                        continue  # a private attribute, not a column (`self._password = raw` in Django's set_password)
                elif not persists(self.ctx.memo, self.text(), self.current_function()):
                    continue
                cls = klass.name if klass is not None else self._owner_class(t.value)
                if self._hashing_setter(field, cls):
                    continue  # `@password.setter` (or a descriptor) hashes what is assigned
                self._check(self.text().small_statement(node), field, node.value, f"`{owner}.{field}`")

    def _owner_class(self, expr: ast.expr) -> str | None:
        """The model class of `user` in `user.password = ...`, when it can be seen:
        `User(...)`, `User.query....first()`, `get_object_or_404(User, ...)`."""
        if not isinstance(expr, ast.Name):
            return None
        flow = self.flow()
        record = flow.record(expr)
        if record:
            return record
        values = flow.assigned.get(expr.id, [])
        value = values[0] if len(values) == 1 else None
        if isinstance(value, ast.Call) and isinstance(value.func, (ast.Name, ast.Attribute)):
            last = (dotted_name(value.func) or "").rsplit(".", 1)[-1]
            if last[:1].isupper():
                return last
        return None

    def _facts(self, key: str) -> dict:
        merged = dict(self.know().facts.get(key, {}))
        merged.update(self.local_part().get(key, {}))
        return merged

    def _lineage(self, cls: str) -> Iterator[str]:
        """`cls` and its bases from the password facts' `classes`, nearest first, each once."""
        classes = self._facts("classes")
        seen, todo = set(), [cls]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            yield current
            todo.extend(b.rsplit(".", 1)[-1] for b in classes.get(current, []))

    def _hashing_setter(self, field: str, cls: str | None) -> bool:
        """Does assigning `field` (of class `cls`, when known) go through a setter or a
        descriptor that hashes? With the class known only its own (and its bases')
        setters count; without it, any class's setter of that name."""
        key = field.lower().lstrip("_")
        setters = self._facts("setters")
        attrs = self._facts("class_attrs")
        if not setters and not attrs:
            return False
        if cls:
            keys = [f"{c}.{key}" for c in self._lineage(cls)]
        else:
            keys = [k for k in {*setters, *attrs} if k.endswith(f".{key}")]
        know = self.know()
        descriptors = self._facts("descriptors")
        for k in keys:
            if any(know.is_hasher_name(c) for c in setters.get(k, [])):
                return True
            descriptor = attrs.get(k, "").rsplit(".", 1)[-1]
            if descriptor and any(know.is_hasher_name(c) for c in descriptors.get(descriptor, [])):
                return True
        return False

    def _dict_hashed_elsewhere(self, value: ast.expr) -> bool:
        """`User(password=new_data["password"])` where `new_data` is a parameter and the
        project stores a hash under that key (`new_data["password"] = hash_password(p)` in
        the function that built the dict)."""
        if not (isinstance(value, ast.Subscript) and isinstance(value.value, ast.Name)):
            return False
        flow = self.flow()
        if value.value.id not in flow.params or value.value.id in flow.assigned:
            return False
        key = _key(value, self.text())
        know = self.know()
        return key is not None and any(know.is_hasher_name(c) for c in self._facts("keys").get(key.lower(), []))

    def _hashed_by_callers(self, name: str) -> bool:
        """`def update_password(self, uid, new_password)` whose in-project callers pass a
        hasher's result (`update_password(uid, get_password_hash(p))`)."""
        function = self.current_function()
        if function is None:
            return False
        calls = self._facts("hashed_args").get(function.name, [])
        if not calls:
            return False
        params = [p.arg for p in [*function.args.posonlyargs, *function.args.args]]
        if params and params[0] in ("self", "cls"):
            params = params[1:]
        slots = {name}
        if name in params:
            slots.add(str(params.index(name)))
        know = self.know()
        return any(slot in slots and know.is_hasher_name(callee) for slot, _, callee in (c.partition(":") for c in calls))

    def _unseen_client_hasher(self, value: ast.expr) -> str | None:
        """`identity.hash_password(p)` where `identity = IdentityClient(...)` is a module-level
        object of a third-party class (not a hashing library, not the project's): the
        method name says hash, but what comes back cannot be seen."""
        if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute) or not isinstance(value.func.value, ast.Name):
            return None
        know = self.know()
        if not know.is_hasher_call(value):
            return None
        receiver = value.func.value.id
        imports = self.imports()
        made = imports.module_constants.get(receiver)
        if not isinstance(made, ast.Call) or not isinstance(made.func, (ast.Name, ast.Attribute)):
            return None
        qualified = imports.qualify(made.func) or ""
        if isinstance(made.func, ast.Attribute):
            # `IdentityClient.from_env()`, `Client.from_url(...)`: a factory of the class
            owner = imports.qualify(made.func.value) or ""
            if owner.rsplit(".", 1)[-1][:1].isupper() and not made.func.attr[:1].isupper():
                qualified = owner
        if "." not in qualified or qualified.startswith("."):
            return None
        root = qualified.split(".")[0]
        known = {h.split(".")[0] for h in data()["hashers"]} | set(data()["hasher-libraries"])
        known |= {h.split(".")[0] for h in self.ctx.settings.extension("password-hashers")}
        cls = qualified.rsplit(".", 1)[-1]
        if root in known or cls in self._facts("class_modules") or qualified in know.qualified:
            return None
        if any(part in self.ctx.path.replace("\\", "/").split("/") for part in (root,)):
            return None  # the project's own package
        return f"`{receiver}.{value.func.attr}()` of `{qualified}`"

    def _other_input(self, node: Spot, field: str, value: ast.expr, where: str) -> Origin | None:
        """Input the name-based origin leaves out: request data under any key
        (`terminal.unlock_pwd = request.POST["code"]`); a digest-named request or import
        column, or a digest-named parameter, stored in a clear password field (reported
        low: whether it really is a hash cannot be seen)."""
        flow = self.flow()
        know = self.know()
        base = value
        while isinstance(base, (ast.Subscript, ast.Call)) and not know.is_request(base):
            inner = base.value if isinstance(base, ast.Subscript) else base.func
            base = inner.value if isinstance(inner, ast.Attribute) else inner
        key = _key(value, self.text())
        text = self.text().source(value, 50)
        from_input = know.is_request(value) or (isinstance(base, ast.Name) and flow.imported_rows(base.id))
        if from_input and key is not None and (is_hashy_name(key) or key.lower().endswith("_digest")):
            self._unclear(node, f"`{text}` (input named as a digest)", where)
            return None
        if from_input:
            return Origin("request", f"`{text}`", text)
        if (
            isinstance(value, ast.Name)
            and value.id in flow.params
            and value.id not in flow.assigned
            and is_hashy_name(value.id)
            and re_password.search(value.id.lower())
            and not self._column_hashed(field)
        ):
            self._unclear(node, f"parameter `{value.id}` (named as a hash; its callers are not seen)", where)
        return None

    def _outside_digest(self, node: Spot, value: ast.expr, where: str) -> None:
        """A digest-named column of imported rows stored as is in a hash column
        (`password_hash=row["password_digest"]` for `row` of an uploaded file, or of rows the
        function is handed): whether the other system's digests are a slow hash the app's
        verifier accepts cannot be seen (low)."""
        if not isinstance(value, ast.Subscript) or not isinstance(value.value, ast.Name):
            return
        key = _key(value, self.text())
        if key is None or not (is_hashy_name(key) or key.lower().endswith("_digest")) or not re_password.search(key.lower()):
            return
        flow = self.flow()
        row = value.value.id
        loop = flow.loops.get(row)
        handed = (
            row not in flow.assigned
            and isinstance(loop, ast.Name)
            and loop.id in flow.params
            and loop.id not in flow.assigned
        )
        source = self.text().source
        if not (self.know().is_request(value) or flow.imported_rows(row) or handed):
            return
        origin = f"`{source(loop, 30)}`" if loop is not None else "the request"
        self.report(
            node,
            f"`{source(value, 50)}` (a digest imported from {origin}) is stored as is in {where}: make sure the other "
            f"system's digests are a slow salted hash that this app's verifier accepts, or rehash at next login; "
            f"{advice('advice', self.know().framework)}.",
            confidence=Confidence.LOW,
            evidence=(f"value: `{source(value, 50)}`", f"target: {where}", "imported digests: their scheme cannot be seen"),
        )

    def _column_hashed(self, field: str) -> bool:
        from backlint.rules.passwords.password_column_in_clear import _fed_by_hasher

        know = self.know()
        return _fed_by_hasher(field, know.facts, self.local_part(), know, set())

    def _unclear(self, node: Spot, what: str, where: str) -> None:
        self.report(
            node,
            f"{what} is stored in {where}, and nothing in the project is seen hashing into it: make sure it "
            f"is a hash; {advice('advice', self.know().framework)}.",
            confidence=Confidence.LOW,
            evidence=(f"value: {what}", f"target: {where}", "no hasher on the way, but the value is named as a hash"),
        )

    def _model_class(self) -> bool:
        """Is the enclosing class a model? Judged by its own bases (another class of the
        same name elsewhere in the project does not count)."""
        klass = self.enclosing_class()
        if klass is None:
            return False
        for base in class_args(klass):
            name = dotted_name(base) if isinstance(base, (ast.Name, ast.Attribute)) else None
            if name and (_model_base(name) or self._is_model(name.rsplit(".", 1)[-1])):
                return True
        return False

    # -- keywords of constructors / create / update; DB-API parameters
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr in _SQL_METHODS:
            args = call_args(node)
            if len(args) >= 2:
                self._check_sql(node, args)
                return
        if isinstance(func, ast.Attribute) and func.attr in ("add", "add_all", "merge") and (node.args or node.keywords):
            self._added(call_args(node)[0].value)
        if not _credential_keywords(node):
            return
        kind = self._storage_call(node)
        if kind is None:
            return
        self._keywords(node, kind)

    def _added(self, value: ast.expr) -> None:
        """`session.add(User(password=...))`, `u = User(...); db.add(u)`: a constructor whose
        object is added to a session stores its keywords, whatever the class."""
        if isinstance(value, ast.Name):
            assigned = self.flow().assigned.get(value.id, [])
            value = assigned[0] if len(assigned) == 1 else value
        if not isinstance(value, ast.Call) or not isinstance(value.func, (ast.Name, ast.Attribute)):
            return
        if not _credential_keywords(value):
            return
        name = dotted_name(value.func) or ""
        last = name.rsplit(".", 1)[-1]
        if last[:1].isupper() and not last.endswith(_NOT_MODELS) and not self._is_model(last):
            self._keywords(value, f"{last}()")  # known models are reported from the call itself

    def _keywords(self, node: ast.Call, kind: str) -> None:
        owner = kind.split(".")[0].split("(")[0]
        func = node.func
        # constructors and create() set attributes one by one: setters and descriptors apply
        builds = not (isinstance(func, ast.Attribute) and func.attr in ("update", "aupdate", "values", "insert", "insert_one", "replace"))
        for keyword in node.keywords:
            if keyword.arg is None:
                continue
            field = keyword.arg
            if not (is_password_field(field) or is_token_field(field) or is_hash_field(field) or is_token_of(owner, field)):
                continue
            arg = self.text().argument(Arg(field, keyword.value, keyword))
            if builds and is_password_field(field) and self._hashing_setter(field, owner if owner[:1].isupper() else None):
                continue
            if is_password_field(field) and not is_hash_field(field):
                creator = self._project_creator(node)
                if creator == "hashed":
                    continue
                if creator is not None:
                    self._check(arg, field, keyword.value, f"`{field}=` of `{kind}`", elsewhere=creator)
                    continue
            if is_password_field(field) or is_token_field(field) or is_hash_field(field):
                self._check(arg, field, keyword.value, f"`{field}=` of `{kind}`")
            elif is_token_of(owner, field):  # `PasswordResetCode.objects.create(code=code)`
                self._check(arg, f"{snake(owner)}_{field}", keyword.value, f"`{field}=` of `{kind}`", token=True)

    def _storage_call(self, node: ast.Call) -> str | None:
        func = node.func
        name = dotted_name(func) if isinstance(func, (ast.Name, ast.Attribute)) else None
        if isinstance(func, ast.Attribute) and func.attr in _STORE_METHODS:
            receiver = func.value
            source = self.text().source
            chain = source(receiver, 80)
            if ".objects" in f".{chain}" or "objects." in chain or ".query" in chain or "insert(" in chain or "update(" in chain:
                return f"{source(func, 60)}()"
            if isinstance(receiver, ast.Name) and receiver.id[:1].isupper() and self._is_model(receiver.id):
                return f"{receiver.id}.{func.attr}()"
            return None
        if name is None:
            return None
        last = name.rsplit(".", 1)[-1]
        if not last[:1].isupper() or last.endswith(_NOT_MODELS):
            return None
        if self._is_model(last):
            return f"{last}()"
        return None

    def _project_class(self, cls: str) -> bool:
        """False for a class imported from outside the project that shares its name with
        one of the project's models (`from azure...models import Server`)."""
        imports = self.imports().imports
        alias = next((a for a, q in imports.items() if a == cls), None)
        if alias is None:
            return True
        qualified = imports[alias]
        if qualified.startswith("."):
            return True
        module = qualified.rsplit(".", 1)[0].replace(".", "/")
        paths = self._facts("class_modules").get(qualified.rsplit(".", 1)[-1], [])
        if not paths:
            return not self.know().facts.get("class_modules")  # no facts (a single file): unknown, keep
        # `from app.models import User` also finds `app/models/user.py` (re-exported)
        return any(f"/{module}/" in f"/{p}/" for p in paths)

    def _is_model(self, cls: str) -> bool:
        if not self._project_class(cls):
            return False
        classes = dict(self.know().facts.get("classes", {}))
        classes.update(self.local_part().get("classes", {}))
        bases = classes.get(cls)
        if bases is None:
            return False
        return any(_model_base(b) for b in bases) or any(
            self._is_model(b.rsplit(".", 1)[-1]) for b in bases if b.rsplit(".", 1)[-1] != cls and b in classes
        )

    def _check_sql(self, node: ast.Call, args: list[Arg]) -> None:
        text = self.text()
        sql_node = args[0].value
        if isinstance(sql_node, ast.Call) and (dotted_name(sql_node.func) or "").endswith("text"):
            inner = call_args(sql_node)
            if inner:
                sql_node = inner[0].value
        if isinstance(sql_node, ast.Name):
            values = self.flow().assigned.get(sql_node.id, [])
            sql_node = values[0] if len(values) == 1 else self.imports().module_constants.get(sql_node.id, sql_node)
        # one literal (the CST's SimpleString) or literals concatenated: their str value
        sql = sql_node.value if isinstance(sql_node, ast.Constant) and isinstance(sql_node.value, str) else None
        if not sql:
            return
        params_arg = args[1]
        params = params_arg.value
        if isinstance(params, ast.Name):
            values = self.flow().assigned.get(params.id, [])
            params = values[0] if len(values) == 1 else params
        for column, where in placeholder_columns(sql):
            if not (is_password_field(column) or is_token_field(column)):
                continue
            value = sql_parameter(node, where, text, params)
            if value is not None:
                self._check(text.expression(params_arg.value), column, value, f"column `{column}` of the SQL `{sql.split()[0].upper()}`")
                return

    # -- the decision
    def _project_creator(self, call: ast.Call) -> str | None:
        """`Account.create(password=...)` where `create` is the project's own method of that
        class (or a base): "hashed" when its body hashes, else what the finding must say
        (the password goes through project code that is not visible here); None for an ORM's
        own constructor (`Model.objects.create`, a class without such a method)."""
        func = call.func
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return None
        method, owner = func.attr, func.value.id
        creators = self._facts("creators")
        if not creators or not owner[:1].isupper():
            return None
        for current in self._lineage(owner):
            callees = creators.get(f"{current}.{method}")
            if callees is not None:
                know = self.know()
                # Django's `user.set_password(raw)` hashes (AbstractBaseUser's contract)
                if any(know.is_hasher_name(c) or c.rsplit(".", 1)[-1] == "set_password" for c in callees):
                    return "hashed"
                return f"`{current}.{method}()` is the project's own method: what it does with the password is not visible here"
        return None

    def _save_hook(self, where: str) -> str | None:
        """A save hook of the project that hashes (`pre_save`, `before_insert`), registered for
        a model this store may be of (the model is named in `where`, or the hook's model is
        computed): the value may be hashed on save."""
        hooks = self._facts("save_hooks")
        if not hooks:
            return None
        know = self.know()
        for model, callees in sorted(hooks.items()):
            if not any(know.is_hasher_name(c) for c in callees):
                continue
            if not model.isidentifier() or model.lower() in where.lower():
                return f"a save hook registered for `{model}` hashes passwords (it calls `{callees[0]}`): if this object is one, it is hashed on save"
        return None

    def _check(self, node: Spot, field: str, value: ast.expr, where: str, token: bool = False, elsewhere: str | None = None) -> None:
        flow = self.flow()
        origin = flow.origin(value)
        know = self.know()
        if origin == HASHED and (is_password_field(field) or is_hash_field(field)) and not token:
            client = self._unseen_client_hasher(value)
            if client is not None:
                what = f"`{self.text().source(value, 50)}`"
                self.report(
                    node,
                    f"{what} is stored in {where}, but what {client} returns cannot be seen: make sure it is a slow "
                    f"salted hash, or hash it yourself: {advice('advice', know.framework)}.",
                    confidence=Confidence.LOW,
                    evidence=(f"value: {what}", f"target: {where}", f"hashed by {client}, a third-party client"),
                )
                return
        if origin is None and is_password_field(field):
            origin = self._other_input(node, field, value, where)
        elif origin is None and is_hash_field(field) and not token:
            self._outside_digest(node, value, where)
        if origin is None or origin == HASHED or not isinstance(origin, Origin):
            return
        if is_hash_field(field):
            if origin.kind == "generated" or not _clear_password_text(value, self.text()):
                return
            self.report(
                node,
                f"{origin.text} is stored in {where}, a column meant for a hash, without hashing: "
                f"{advice('advice', know.framework)}.",
                evidence=(f"value: {origin.text}", f"target: {where}"),
            )
            return
        if (
            origin.kind == "password"
            and isinstance(value, ast.Name)
            and value.id in flow.params
            and value.id not in flow.assigned
            and self._hashed_by_callers(value.id)
        ):
            return  # the callers pass a hash
        if origin.kind == "password" and self._dict_hashed_elsewhere(value):
            return
        if is_password_field(field) and not token:
            if origin.kind == "generated":
                return
            fix = advice("advice", know.framework)
            if ambiguous_password_field(field) and "passw" not in origin.text.lower():
                self.report(
                    node,
                    f"{origin.text} is stored in {where} without hashing, if `{field}` holds a password: it is also "
                    f"the usual name of a working directory, and {origin.text} is not named like a password. "
                    f"If it is one: {fix}.",
                    confidence=Confidence.LOW,
                    evidence=(f"value: {origin.text}", f"target: {where}", f"`{field}` may be a directory, not a password"),
                )
                return
            elsewhere = elsewhere or self._save_hook(where)
            if elsewhere:
                self.report(
                    node,
                    f"{origin.text} is stored in {where}, and may be hashed away from here: {elsewhere}. "
                    f"If it is not: {fix}.",
                    confidence=Confidence.LOW,
                    evidence=(f"value: {origin.text}", f"target: {where}", elsewhere),
                )
                return
            self.report(
                node,
                f"{origin.text} is stored in {where} without hashing: {fix}.",
                evidence=(f"value: {origin.text}", f"target: {where}"),
            )
            return
        if origin.kind == "password":
            return  # a token column fed from a name like `password`: unclear, say nothing
        self.report(
            node,
            f"{origin.text} is stored raw in {where}: a {field.replace('_', ' ')} works like a password; "
            f"{data()['token-advice']}.",
            confidence=Confidence.LOW,
            evidence=(f"value: {origin.text}", f"target: {where}", "tokens are sometimes stored raw on purpose"),
        )


_MODEL_BASES = {"Model", "Base", "Entity", "Document", "SQLModel", "DeclarativeBase", "AbstractUser", "AbstractBaseUser"}


def _model_base(base: str) -> bool:
    """An ORM base class by its name: `db.Model`, `models.Model`, `Base`, `db.Entity`,
    `TimeStampedModel` (never pydantic's `BaseModel` or `AuthBase`)."""
    last = base.rsplit(".", 1)[-1]
    return last in _MODEL_BASES or (last.endswith("Model") and not last.endswith("BaseModel"))


def _credential_keywords(call: ast.Call) -> bool:
    func = call.func
    while isinstance(func, (ast.Attribute, ast.Call)):
        func = func.value if isinstance(func, ast.Attribute) else func.func
    owner = func.id if isinstance(func, ast.Name) else ""
    return any(
        k.arg is not None
        and (
            is_password_field(k.arg)
            or is_token_field(k.arg)
            or is_hash_field(k.arg)
            or is_token_of(owner, k.arg)
        )
        for k in call.keywords
    )


def _clear_password_text(value: ast.expr, text: Text) -> bool:
    """A value visibly named as a clear password (`body.new_password`, `form["password"]`),
    for hash-named columns, where anything less certain is not reported."""
    key = _key(value, text) if isinstance(value, (ast.Subscript, ast.Call, ast.Attribute)) else None
    name = value.id if isinstance(value, ast.Name) else key
    return bool(name and is_password_value(name) and re_password.search(name.lower()))


def _declares(klass: ast.ClassDef, field: str, text: Text) -> bool:
    """Does the class body declare a column `field` (`_password = Column("password", ...)`,
    `_password: Mapped[str]`)? `_password = None` is a plain attribute."""
    if not text.starts_line(klass.body[0]):
        return False  # `class A: x = 1`: the CST's one-line suite, no statement lines
    for line in lines_of(klass.body):
        for small in line:
            targets: list[ast.expr]
            if isinstance(small, ast.Assign):
                targets, column = list(small.targets), isinstance(small.value, ast.Call)
            elif isinstance(small, ast.AnnAssign):
                targets, column = [small.target], small.value is None or isinstance(small.value, ast.Call)
            else:
                continue
            if column and any(isinstance(t, ast.Name) and t.id == field for t in targets):
                return True
    return False
