"""BL102: a stored password compared with input using ==, != or in."""
from __future__ import annotations

import re

import ast

from backlint.astrule import Invalid, RuleMeta, Valid
from backlint.finding import Confidence, Severity
from backlint.rules.passwords.astutil import call_args, dotted_name
from backlint.rules.passwords.base import PasswordRule
from backlint.rules.passwords.common import (
    HASHED,
    Origin,
    _key,
    _literal,
    _stored_object,
    sql_parameter,
)
from backlint.knowledge.passwords import (
    advice,
    data,
    is_hashy_name,
    is_password_field,
    is_password_value,
    is_token_field,
    is_token_of,
    snake,
    where_columns,
)

_TOKEN_MARK = " (stored token)"
_SQL_METHODS = {"execute", "executemany", "fetch", "fetchrow", "fetchval", "fetchone", "fetchall", "exec_driver_sql", "execute_sql", "raw",
                "fetch_one", "fetch_all", "fetch_val", "iterate"}  # the last four: encode/databases
_PASSWORD_SQL = re.compile(r"(?is)\bwhere\b.*(?:passw|pwd)")
_SHORT_SECRETS = {"code", "token", "key", "secret", "otp", "pin"}
_INPUT_OBJECTS = {"body", "payload", "data", "form", "credentials", "creds", "login", "schema", "params", "args", "inp", "auth", "cmd", "command", "dto", "request_data"}
_INPUT_SUFFIXES = ("_in", "_data", "_form", "_request", "_schema", "_payload", "_body", "_credentials", "_input", "_dto")
_STORED_PREFIXES = ("stored_", "saved_", "db_", "expected_", "correct_", "real_", "actual_", "admin_", "current_")


class PasswordComparedInClear(PasswordRule):
    """
    ## What it does
    Finds a stored password compared with the password a user typed using `==`, `!=`
    or `in`: `user.password == request.form["password"]`, `if row["password"] != pw`,
    `password in PASSWORDS`, `ADMIN_PASSWORD == password`. The stored side is a
    password attribute or key of a record (`user.password`, `row["password"]`), a
    variable named `stored_password`/`db_password`/..., or an upper-case constant; the
    other side is request data or a variable named like a password.

    The stored side can also be a record read back from a query (`partner =
    Partner.query....first()`, `get_object_or_404(Kiosk, ...)`, `await
    database.fetch_one(...)`, or a function of the same module that returns one; then
    request data under any key is input), and a `SELECT ... WHERE password = %s` whose
    parameter is a clear password (also through `databases`' `fetch_one(query, values=...)`
    and a module-level query constant). A one-time code of a reset/invitation record, or an
    access code, compared with input (`reset.code != request.POST["code"]`,
    `patient.access_code == code`) is reported with `confidence: low`.

    Two inputs (`password != confirm_password`, `form.password.data ==
    form.confirm.data`), comparisons with `""` or `None`, lengths, and comparisons where
    one side went through a hasher are not reported.

    ## Why is this bad?
    A password that can be compared with `==` is stored in clear (CWE-256), and `==`
    stops at the first differing character, so response times leak how much of a guess
    is right (CWE-208). Store a hash and let the hasher's check function compare, in
    constant time.

    ## Known problems
    Comparisons inside a function listed under `password-verifiers` are trusted.
    """

    META = RuleMeta(
        code="BL102",
        name="password-compared-in-clear",
        checklist="plaintext-password",
        severity=Severity.HIGH,
        confidence=Confidence.HIGH,
        summary="A stored password is compared with input using ==, != or in",
        cwe=(256, 208),
        owasp=("A02:2021", "A07:2021"),
        references=(
            "https://cwe.mitre.org/data/definitions/256.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
            "https://docs.python.org/3/library/hmac.html#hmac.compare_digest",
        ),
        escalate=True,
    )
    VALID = [
        Valid(
            """
            from flask import request
            from werkzeug.security import check_password_hash

            def login(user):
                return check_password_hash(user.password_hash, request.form["password"])
            """,
            id="werkzeug-check",
            doc=True,
        ),
        Valid(
            """
            def signup(form):
                if form.password.data != form.confirm.data:
                    raise ValueError("passwords differ")
                if password != confirm_password:
                    raise ValueError("passwords differ")
            """,
            id="two-inputs",
            doc=True,
        ),
        Valid(
            """
            def check(user, password):
                if user.password is None or user.password == "" or len(password) < 8:
                    return False
                return user.check_password(password)
            """,
            id="none-empty-length",
        ),
        Valid(
            """
            import hashlib

            def check(user, password):
                return user.password == hashlib.sha256(password.encode()).hexdigest()
            """,
            id="digest-vs-digest-is-weak-hash-not-clear",
        ),
        Valid(
            """
            class Account:
                def __eq__(self, other):
                    return self.password == other.password
            """,
            id="two-records",
        ),
        Valid(
            """
            from fastapi import FastAPI
            from pwdlib import PasswordHash

            password_hash = PasswordHash.recommended()

            def login(body, user):
                if not password_hash.verify(body.password, user.password):
                    raise ValueError
            """,
            id="pwdlib-verify",
        ),
        Valid(
            """
            import hashlib

            def verify_key(cur, key):
                cur.execute("SELECT id FROM clients WHERE password = %s", (hashlib.sha256(key.encode()).hexdigest(),))
                cur.execute("SELECT id FROM users WHERE password = %s", ("",))
            """,
            id="sql-where-digest",
        ),
        Valid(
            """
            from flask import request

            def update_user_password():
                password = request.args["password"]
                body = request.get_json(silent=True) or {}
                current_password = body.get("current_password")
                if password == current_password:
                    raise ValueError("new password must differ")
            """,
            id="current-password-from-input",
        ),
        Valid(
            """
            class RestrictionForm(forms.Form):
                def clean_password(self):
                    if BaseViewRestriction.PASSWORD == self.cleaned_data.get("restriction_type"):
                        return self.cleaned_data["password"]
            """,
            id="choice-constant-named-password",
        ),
        Valid(
            """
            def _room_from(form):
                return dict(form)

            async def preview(request):
                form = await request.form()
                room = _room_from(form)
                if form.get("password", "") != room["join_password"]:
                    return 400
            """,
            id="helper-returning-input-is-not-a-record",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from flask import request

            def login():
                user = User.query.filter_by(email=request.form["email"]).first()
                if user is None or user.password != request.form["password"]:
                    return "bad credentials", 401
            """,
            id="flask-stored-vs-form",
            at=(5, 24),
            message="`user.password` (stored) is compared with `request.form[\"password\"]`",
            doc=True,
        ),
        Invalid(
            """
            from django.http import HttpResponse

            def login(request):
                member = Member.objects.get(name=request.POST["name"])
                if member.password == request.POST["password"]:
                    return HttpResponse("ok")
            """,
            id="django-model-field",
            at=(5, 8),
            message="user.check_password(candidate)",
        ),
        Invalid(
            """
            def authenticate(cur, name, pw):
                cur.execute("SELECT password FROM users WHERE name = %s", (name,))
                row = cur.fetchone()
                return row["password"] == pw
            """,
            id="dbapi-row",
            at=(4, 12),
        ),
        Invalid(
            """
            ADMIN_PASSWORD = "s3cret"

            def is_admin(password):
                return password == ADMIN_PASSWORD
            """,
            id="constant",
            at=(4, 12),
        ),
        Invalid(
            """
            PASSWORDS = {"alice": "wonderland"}

            def check(pw):
                return pw in PASSWORDS.values()
            """,
            id="membership",
            at=(4, 12),
            message="using `in`",
        ),
        Invalid(
            """
            from fastapi import FastAPI, HTTPException

            app = FastAPI()

            @app.post("/login")
            def login(credentials: LoginIn, db):
                user = db.query(User).filter(User.email == credentials.email).first()
                if not user or user.password != credentials.password:
                    raise HTTPException(401)
            """,
            id="fastapi-body-model",
            at=(8, 20),
            message="pwdlib/passlib",
        ),
        Invalid(
            """
            from flask import request

            def partner_session():
                data = request.get_json()
                partner = Partner.query.filter_by(contact_email=data.get("email", "")).first()
                if partner is None or partner.password != data.get("password"):
                    return "no", 401
            """,
            id="record-from-a-query",
            at=(6, 27),
            message="`partner.password` (stored) is compared with",
        ),
        Invalid(
            """
            def kiosk_unlock(request, label):
                terminal = get_object_or_404(KioskTerminal, label=label)
                if request.POST.get("code", "") != terminal.unlock_pwd:
                    return 403
            """,
            id="request-data-under-any-key",
            at=(3, 8),
        ),
        Invalid(
            """
            def confirm(request):
                reset = PasswordResetCode.objects.filter(member__email=request.POST["email"]).first()
                if reset is None or reset.code != request.POST.get("code", ""):
                    return 400
            """,
            id="reset-code-compared",
            at=(3, 25),
            confidence=Confidence.LOW,
            message="one-time secret",
        ),
        Invalid(
            """
            def verify_operator(cur, username, password):
                cur.execute("SELECT id FROM operators WHERE username = %s AND password = %s", (username, password))
                return cur.fetchone()
            """,
            id="sql-where-password",
            at=(2, 84),
            message="column `password` is matched against `password` in the SQL `WHERE`",
        ),
        Invalid(
            """
            from .db import database

            BOT_LOOKUP = "SELECT id FROM bots WHERE name = :name AND password = :password"

            async def bot_login(name, password):
                return await database.fetch_one(BOT_LOOKUP, values={"name": name, "password": password})
            """,
            id="databases-fetch-one-with-a-module-constant",
            at=(6, 56),
            message="column `password` is matched against `password` in the SQL `WHERE`",
        ),
        Invalid(
            """
            async def _load_room(slug):
                room = await database.fetch_one("SELECT id, join_password FROM rooms WHERE slug = :slug", values={"slug": slug})
                if room is None:
                    raise HTTPException(status_code=404)
                return room

            async def join_room(request):
                room = await _load_room(request.path_params["slug"])
                form = await request.form()
                if form.get("password", "") != room["join_password"]:
                    return 403
            """,
            id="record-returned-by-a-helper-of-the-module",
            at=(10, 8),
            message="`room[\"join_password\"]` (stored) is compared with",
        ),
        Invalid(
            """
            @api_view(["POST"])
            def portal_login(request):
                member = Member.objects.filter(number=request.data.get("number", "")).first()
                code = str(request.data.get("access_code", "")).strip().upper()
                if member is not None and member.access_code == code:
                    return Response({"member": member.pk})
            """,
            id="access-code-of-a-record",
            at=(5, 31),
            confidence=Confidence.LOW,
            message="`member.access_code` (a one-time secret kept raw) is compared with `code`",
        ),
    ]

    def visit_Compare(self, node: ast.Compare) -> None:
        if len(node.ops) != 1:
            return
        op = node.ops[0]
        if not isinstance(op, (ast.Eq, ast.NotEq, ast.In, ast.NotIn)):
            return
        left, right = node.left, node.comparators[0]
        if isinstance(op, (ast.In, ast.NotIn)):
            pairs = [(right, left)]
        else:
            pairs = [(left, right), (right, left)]
        for stored, given in pairs:
            what = self._stored(stored, isinstance(op, (ast.In, ast.NotIn)))  # cheap: names only
            if what is None:
                continue
            function = self.current_function()
            if function is not None and function.name in self.know().verifiers:
                return
            flow = self.flow()
            if flow.contains_hasher(left) or flow.contains_hasher(right):
                return
            origin = self._input(given, any_key=what.endswith(("(stored)", _TOKEN_MARK)))
            if origin is None:
                continue
            symbol = {ast.Eq: "==", ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in"}[type(op)]
            if what.endswith(_TOKEN_MARK):
                self.report(
                    self.text().expression(node),
                    f"{what[: -len(_TOKEN_MARK)]} (a one-time secret kept raw) is compared with {origin.text} using "
                    f"`{symbol}`: {data()['token-advice']}, and compare digests with `hmac.compare_digest`.",
                    confidence=Confidence.LOW,
                    evidence=(f"stored: {what}", f"input: {origin.text}", "short-lived codes are sometimes stored raw on purpose"),
                )
                return
            fix = advice("compare-advice", self.know().framework)
            self.report(
                self.text().expression(node),
                f"{what} is compared with {origin.text} using `{symbol}`: the password is kept in clear and the "
                f"comparison is not constant-time; {fix}.",
                evidence=(f"stored: {what}", f"input: {origin.text}"),
            )
            return

    # -- `SELECT ... WHERE username = %s AND password = %s` with a clear password bound
    def visit_Call(self, node: ast.Call) -> None:
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr in _SQL_METHODS):
            return
        args = call_args(node)
        if len(args) < 2:
            return
        text = self.text()
        sql_node = args[0].value
        if isinstance(sql_node, ast.Call) and (dotted_name(sql_node.func) or "").endswith("text"):
            inner = call_args(sql_node)
            if inner:
                sql_node = inner[0].value
        flow = self.flow()
        if isinstance(sql_node, ast.Name):
            values = flow.assigned.get(sql_node.id, [])
            sql_node = values[0] if len(values) == 1 else self.imports().module_constants.get(sql_node.id, sql_node)
        sql = sql_node.value if isinstance(sql_node, ast.Constant) and isinstance(sql_node.value, (str, bytes)) else None
        if not isinstance(sql, str) or not _PASSWORD_SQL.search(sql):
            return
        params = args[1].value
        if isinstance(params, ast.Name):
            values = flow.assigned.get(params.id, [])
            params = values[0] if len(values) == 1 else params
        for column, where in where_columns(sql):
            if not is_password_field(column):
                continue
            value = sql_parameter(node, where, text, params)
            if value is None:
                continue
            origin = self._input(value)
            if origin is None or flow.contains_hasher(value):
                continue
            self.report(
                text.expression(args[1].value),
                f"column `{column}` is matched against {origin.text} in the SQL `WHERE`: the password is kept in clear; "
                f"{advice('compare-advice', self.know().framework)}.",
                evidence=(f"stored: column `{column}`", f"input: {origin.text}"),
            )
            return

    def _stored(self, expr: ast.expr, container: bool) -> str | None:
        source = self.text().source
        if isinstance(expr, ast.Name):
            name = expr.id
            low = snake(name)
            if name.isupper() and (is_password_value(name.lower()) or (container and ("PASSWORDS" in name or "USERS" in name))):
                return f"`{name}`"
            if is_password_value(name) and low.startswith(_STORED_PREFIXES):
                flow = self.flow()
                values = flow.assigned.get(name, [])
                if any(self.know().is_request(v) or isinstance(flow.origin(v), Origin) for v in values):
                    return None  # `current_password = body.get("current_password")`: input, not a stored value
                return f"`{name}` (stored)"
            return None
        if isinstance(expr, ast.Attribute):
            attr = expr.attr
            if attr.isupper() and is_password_value(attr.lower()):
                return f"`{source(expr, 50)}`"
            if is_password_field(attr) and _stored_object(expr.value):
                return f"`{source(expr, 50)}` (stored)"
            if is_password_field(attr) or attr in _SHORT_SECRETS or is_token_field(attr):
                record = self.flow().record(expr.value)
                if record is not None:
                    if is_password_field(attr):
                        return f"`{source(expr, 50)}` (stored)"
                    owner = record or (dotted_name(expr.value) or "")
                    if is_token_of(owner, attr) or is_token_of(dotted_name(expr.value) or "", attr):
                        return f"`{source(expr, 50)}`{_TOKEN_MARK}"
            return None
        if isinstance(expr, ast.Subscript):
            key = _key(expr, self.text())
            base = expr.value
            if key is not None and is_password_field(key) and (_stored_object(base) or self.flow().record(base) is not None):
                return f"`{source(expr, 50)}` (stored)"
            base_name = dotted_name(base) if isinstance(base, (ast.Name, ast.Attribute)) else None
            if base_name and base_name.rsplit(".", 1)[-1].isupper() and ("PASSW" in base_name or "USERS" in base_name):
                if key is None or is_password_field(key):
                    return f"`{source(expr, 50)}`"
            return None
        if isinstance(expr, ast.Call):  # os.environ.get("ADMIN_PASSWORD"), os.getenv(...)
            func = expr.func
            if container and isinstance(func, ast.Attribute) and func.attr in ("values", "keys"):
                return self._stored(func.value, container)
            callee = dotted_name(expr.func) if isinstance(expr.func, (ast.Name, ast.Attribute)) else None
            args = call_args(expr) if callee in ("os.getenv", "os.environ.get", "getenv") else []
            if args:
                arg = args[0].value
                if _literal(arg, self.text()) and "PASSW" in self.text().source(arg, 10**9).upper():
                    return f"`{source(expr, 50)}`"
        return None

    def _input(self, expr: ast.expr, any_key: bool = True) -> Origin | None:
        """The input side. Request data under any key counts against a record's password
        field (`request.POST["code"] != terminal.unlock_pwd`), but against a constant only
        when named like a password (`Restriction.PASSWORD == form["restriction_type"]` is a
        choice)."""
        if self._stored(expr, False) is not None:
            return None
        source = self.text().source
        if any_key and self.know().is_request(expr):  # `request.POST.get("code")`: whatever the key, it is input
            key = _key(expr, self.text())
            if key is None or not is_hashy_name(key):
                return Origin("request", f"`{source(expr, 50)}`", source(expr, 50))
        if isinstance(expr, ast.Name) and is_password_value(expr.id) and expr.id.lower().startswith(("confirm", "repeat")):
            return None
        if isinstance(expr, ast.Attribute) and expr.attr != "data" and not self.know().is_request(expr):
            base = (dotted_name(expr.value) or "").rsplit(".", 1)[-1].lower()
            if not (base in _INPUT_OBJECTS or base.endswith(_INPUT_SUFFIXES)):
                return None  # `self.password == other.password`: two records, not input
        origin = self.flow().origin(expr)
        if origin is None or origin == HASHED or not isinstance(origin, Origin) or origin.kind == "generated":
            return None
        return origin
