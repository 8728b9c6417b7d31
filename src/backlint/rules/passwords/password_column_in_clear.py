"""BL103: a password field or column that nothing in the project hashes into."""
from __future__ import annotations

import re
from typing import Any

import ast

from backlint.astrule import Invalid, RuleMeta, Valid
from backlint.finding import Confidence, Severity
from backlint.rules.passwords.astutil import Spot, call_args, class_args, dotted_name, lines_of, starts_line
from backlint.rules.passwords.base import PasswordRule
from backlint.rules.passwords.common import Knowledge, _literal, _string
from backlint.knowledge.passwords import advice, ambiguous_password_field, data, is_password_field


def field_callees(field: str, facts: dict[str, Any], local: dict[str, Any], cls: str | None = None) -> set[str]:
    """What the project stores in `field`: assignments whose class is unknown, plus those
    of class `cls` (and its bases) when it is known, else of every class."""
    key = field.lower().lstrip("_")
    callees = set(facts.get("fields", {}).get(key, [])) | set(local.get("fields", {}).get(key, []))
    class_fields = {k.lower(): v for k, v in facts.get("class_fields", {}).items()}
    class_fields.update({k.lower(): v for k, v in local.get("class_fields", {}).items()})
    if cls:
        classes = {k.lower(): v for k, v in facts.get("classes", {}).items()}
        classes.update({k.lower(): v for k, v in local.get("classes", {}).items()})
        owners: set[str] = set()
        todo = [cls.lower()]
        while todo:
            current = todo.pop()
            if current not in owners:
                owners.add(current)
                todo.extend(b.rsplit(".", 1)[-1].lower() for b in classes.get(current, []))
        for owner in owners:
            callees |= set(class_fields.get(f"{owner}.{key}", []))
    else:
        for name, values in class_fields.items():
            if name.endswith(f".{key}"):
                callees |= set(values)
    return callees


def _fed_by_hasher(field: str, facts: dict[str, Any], local: dict[str, Any], know: Knowledge | None, hashers: set[str], cls: str | None = None) -> bool:
    callees = field_callees(field, facts, local, cls)
    if know is not None:
        return any(know.is_hasher_name(c) for c in callees)
    return any(c in hashers or c.rsplit(".", 1)[-1] in hashers for c in callees)


class PasswordColumnInClear(PasswordRule):
    """
    ## What it does
    Finds model fields and table columns named `password`/`passwd`/`pwd` that nothing in
    the project hashes into: Django `models.CharField` (outside `AbstractBaseUser`
    subclasses, whose password Django hashes), SQLAlchemy `Column`/`mapped_column`/
    `Mapped[str]`, SQLModel table fields, peewee `CharField`, pony `Required(str)`,
    tortoise `fields.CharField`, mongoengine `StringField`, Django migrations
    (`CreateModel` field tuples, `AddField`), Alembic and SQLAlchemy Core
    `Column("password", ...)`, and `CREATE TABLE` / `ADD COLUMN` in `.sql` files.

    A field is fine when any module of the project stores a hasher's result in a field
    of that name (`user.password = generate_password_hash(p)`, `User(password=
    make_password(p))`, an `INSERT` with a hashed parameter, a `set_password()` method
    that hashes, a hashing property setter or descriptor), or when it is named for a hash
    (`password_hash`). When the class is known (a model, `User(password=...)`, `self.password`
    in the class, a migration's model name) only hashes stored in that class (or through
    an object of unknown class) count, so one hashed `password` does not excuse another
    model's. Prefixed names count (`legacy_pwd`, `unlock_pwd`, `share_password`), except
    input-only names (`new_password`), credentials of outbound services that must stay
    reversible (`smtp_password`) and flags (`save_password`). Binary, boolean, integer and
    date columns are not reported (a bcrypt hash is bytes).

    ## Why is this bad?
    A password column that never receives a hash holds passwords in clear (CWE-256):
    one leaked backup or injectable query reveals every user's password.

    ## Known problems
    Fields are matched by name across the project: one hashed `password` anywhere
    silences every model's `password` field.
    """

    META = RuleMeta(
        code="BL103",
        name="password-column-in-clear",
        checklist="plaintext-password",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="A password field or column that nothing in the project hashes into",
        cwe=(256,),
        owasp=("A02:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/256.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html",
        ),
        escalate=True,
    )
    VALID = [
        Valid(
            """
            from django.contrib.auth.models import AbstractBaseUser
            from django.db import models

            class Member(AbstractBaseUser):
                password = models.CharField(max_length=128)
            """,
            id="django-abstract-base-user",
            doc=True,
        ),
        Valid(
            """
            from werkzeug.security import generate_password_hash
            from app import db

            class User(db.Model):
                password = db.Column(db.String(255))

                def set_password(self, raw):
                    self.password = generate_password_hash(raw)
            """,
            id="hashed-by-a-method",
            doc=True,
        ),
        Valid(
            """
            from sqlalchemy.orm import Mapped, mapped_column

            class User(Base):
                password_hash: Mapped[str] = mapped_column()
                password: Mapped[bytes] = mapped_column()
            """,
            id="hash-name-and-binary",
        ),
        Valid(
            """
            from pydantic import BaseModel

            class UserIn(BaseModel):
                password: str
            """,
            id="pydantic-schema",
        ),
        Valid(
            """
            from django.db import migrations, models

            class Migration(migrations.Migration):
                operations = [
                    migrations.CreateModel(
                        name="User",
                        fields=[
                            ("password", models.CharField(max_length=128, verbose_name="password")),
                            ("last_login", models.DateTimeField(blank=True, null=True)),
                        ],
                    ),
                ]
            """,
            id="django-user-migration",
        ),
        Valid(
            """
            import bcrypt
            from sqlalchemy import Column, Unicode

            class User(Base):
                _password = Column("password", Unicode(255))

                @password.setter
                def password(self, raw):
                    self._password = bcrypt.hashpw(raw.encode(), bcrypt.gensalt()).decode()
            """,
            id="hashing-property-setter",
        ),
        Valid(
            """
            from django.db import models

            class MailSettings(models.Model):
                smtp_password = models.CharField(max_length=128)
                new_password = models.CharField(max_length=128)
            """,
            id="outbound-and-input-names",
        ),
        Valid(
            """
            from alembic import op
            import sqlalchemy as sa

            class Server(db.Model):
                save_password = db.Column(db.Integer, nullable=False)
                tunnel_prompt_password = db.Column(db.Integer)

            def upgrade():
                op.add_column("server", sa.Column("kerberos_password", sa.Boolean(), nullable=True))
                op.add_column("server", sa.Column("must_change_password", sa.String(5)))
            """,
            id="flags-about-a-password",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from django.db import models

            class ArchiveResult(models.Model):
                cmd = models.JSONField()
                pwd = models.CharField(max_length=256)
            """,
            id="pwd-column-is-also-a-working-directory-is-low",
            at=(5, 5),
            confidence=Confidence.LOW,
            message="the usual name of a working directory",
        ),
        Invalid(
            """
            from django.db import models

            class Member(models.Model):
                name = models.CharField(max_length=50)
                password = models.CharField(max_length=50)
            """,
            id="django-model",
            at=(5, 5),
            message="`Member.password` (Django model field)",
            doc=True,
        ),
        Invalid(
            """
            from sqlalchemy import Column, String
            from sqlalchemy.orm import Mapped, mapped_column

            class User(Base):
                password = Column(String(64))

            class Admin(Base):
                pwd: Mapped[str] = mapped_column(String(64))
            """,
            id="sqlalchemy-column-and-mapped",
            at=(5, 5),
            count=2,
        ),
        Invalid(
            """
            from sqlmodel import SQLModel, Field

            class User(SQLModel, table=True):
                id: int | None = Field(default=None, primary_key=True)
                password: str
            """,
            id="sqlmodel",
            at=(5, 5),
        ),
        Invalid(
            """
            import peewee as pw

            class User(pw.Model):
                password = pw.CharField()
            """,
            id="peewee",
            at=(4, 5),
        ),
        Invalid(
            """
            from pony.orm import Database, Required

            db = Database()

            class User(db.Entity):
                password = Required(str)
            """,
            id="pony",
            at=(6, 5),
        ),
        Invalid(
            """
            from tortoise import fields
            from tortoise.models import Model

            class User(Model):
                password = fields.CharField(max_length=100)
            """,
            id="tortoise",
            at=(5, 5),
        ),
        Invalid(
            """
            from django.db import migrations, models

            class Migration(migrations.Migration):
                operations = [
                    migrations.CreateModel(
                        name="Member",
                        fields=[
                            ("id", models.AutoField(primary_key=True)),
                            ("password", models.CharField(max_length=50)),
                        ],
                    ),
                    migrations.AddField(model_name="member", name="pwd", field=models.CharField(max_length=50)),
                ]
            """,
            id="django-migrations",
            at=(9, 18),
            count=2,
        ),
        Invalid(
            """
            import sqlalchemy as sa
            from alembic import op

            def upgrade():
                op.create_table("users", sa.Column("id", sa.Integer()), sa.Column("password", sa.String(64)))
            """,
            id="alembic",
            at=(5, 61),
        ),
        Invalid(
            """
            from django.db import models

            class KioskTerminal(models.Model):
                unlock_pwd = models.CharField(max_length=32)
                legacy_password = models.CharField(max_length=128, blank=True)
            """,
            id="prefixed-password-names",
            at=(4, 5),
            count=2,
            message="`KioskTerminal.unlock_pwd`",
        ),
    ]
    SQL_FILES = True

    # -- model classes
    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        bases = [dotted_name(b) or self.text().source(b, 40) for b in class_args(node)]
        if not bases or self.ctx.parsed is None:
            return
        if not starts_line(self.ctx.parsed.lines.with_ends, node.body[0]):
            return  # `class A(B): x = 1`: a one-line suite, no statement lines (as the CST read it)
        table_kw = any(k.arg == "table" for k in node.keywords)
        for line in lines_of(node.body):
            for small in line:
                name: str | None = None
                value: ast.expr | None = None
                annotation: ast.expr | None = None
                if isinstance(small, ast.Assign) and len(small.targets) == 1 and isinstance(small.targets[0], ast.Name):
                    name, value = small.targets[0].id, small.value
                elif isinstance(small, ast.AnnAssign) and isinstance(small.target, ast.Name):
                    name, value, annotation = small.target.id, small.value, small.annotation
                if name is None or not is_password_field(name):
                    continue
                orm = self._field_orm(bases, table_kw, value, annotation)
                if orm is None or self._hashed_user_model(node.name, bases):
                    continue
                self._report_field(self.text().statement_line(line), name, f"`{node.name}.{name}` ({orm})", node.name)

    def _field_orm(self, bases: list[str], table_kw: bool, value: ast.expr | None, annotation: ast.expr | None) -> str | None:
        calls = data()["field-calls"]
        binary = set(data()["binary-types"]) | set(data()["non-text-types"])
        source = self.text().source
        if annotation is not None and _typed_as(source(annotation, 60), binary):
            return None
        if isinstance(value, ast.Call):
            callee = dotted_name(value.func) if isinstance(value.func, (ast.Name, ast.Attribute)) else None
            if callee is None:
                return None
            text = source(value, 200)
            if _typed_as(text, binary):
                return None
            imported = {q.split(".")[0] for q in self.imports().imports.values()}
            matches = [orm for orm, names in calls.items() if callee in names]
            if not matches:
                last = callee.rsplit(".", 1)[-1]
                matches = [orm for orm, names in calls.items() if orm in imported and orm != "pony" and last in names]
            for orm in matches[:1]:
                if orm == "pony" and not any(isinstance(a.value, ast.Name) and a.value.id == "str" for a in call_args(value)):
                    return None
                if orm == "django" and not any(b.endswith("Model") for b in bases):
                    return None
                return {"django": "Django model field", "sqlalchemy": "SQLAlchemy column"}.get(orm, f"{orm} field")
            if callee.rsplit(".", 1)[-1] == "Field" and table_kw:
                return "SQLModel table field"
            return None
        if annotation is not None:
            text = source(annotation, 60)
            if text.startswith("Mapped[") and "bytes" not in text:
                return "SQLAlchemy column"
            if table_kw and text in ("str", "Optional[str]", "str | None"):
                return "SQLModel table field"
        return None

    def _hashed_user_model(self, name: str, bases: list[str]) -> bool:
        hashed = set(data()["hashed-user-bases"])
        classes = {k.lower(): v for k, v in self.know().facts.get("classes", {}).items()}
        classes.update({k.lower(): v for k, v in self.local_part().get("classes", {}).items()})
        todo, seen = [name.lower()], set()
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            for base in classes.get(current, bases if current == name.lower() else []):
                last = base.rsplit(".", 1)[-1]
                if last in hashed:
                    return True
                todo.append(last.lower())
        return False

    def _report_field(self, node: Spot, field: str, what: str, cls: str | None = None) -> None:
        know = self.know()
        if _fed_by_hasher(field, know.facts, self.local_part(), know, set(), cls):
            return
        if ambiguous_password_field(field):
            self.report(
                node,
                f"{what} may hold passwords (`{field}` is also the usual name of a working directory), and "
                f"nothing in the project stores a hash in it: if it holds passwords, "
                f"{advice('advice', know.framework)}; name the column `password_hash`.",
                confidence=Confidence.LOW,
                evidence=(f"field: {what}", f"`{field}` may be a directory, not a password",
                          "no hasher output assigned to this field anywhere in the project"),
            )
            return
        self.report(
            node,
            f"{what} holds passwords and nothing in the project stores a hash in `{field}`: "
            f"{advice('advice', know.framework)}; name the column `password_hash`.",
            evidence=(f"field: {what}", "no hasher output assigned to this field anywhere in the project"),
        )

    # -- migrations and Core/Alembic columns
    def visit_Call(self, node: ast.Call) -> None:
        callee = dotted_name(node.func) if isinstance(node.func, (ast.Name, ast.Attribute)) else None
        if callee is None:
            return
        last = callee.rsplit(".", 1)[-1]
        if last not in ("Column", "CreateModel", "AddField"):
            return
        text = self.text()
        args = call_args(node)
        if last == "Column" and args and _literal(args[0].value, text):
            name = _string(args[0].value, text) or ""
            if is_password_field(name) and not _typed_as(text.source(node, 200), _NOT_PASSWORD_TYPES()):
                klass = self.enclosing_class()
                self._report_field(text.expression(node), name, f"column `{name}`", klass.name if klass is not None else None)
        elif last == "CreateModel":
            model = ""
            fields = None
            for arg in args:
                if arg.keyword == "name":
                    model = _string(arg.value, text) or ""
                elif arg.keyword == "fields":
                    fields = arg.value
            if not isinstance(fields, (ast.List, ast.Tuple)):
                return
            elements = [e.value if isinstance(e, ast.Starred) else e for e in fields.elts]
            names = []
            for element in elements:
                if isinstance(element, ast.Tuple) and element.elts:
                    names.append(_string(_element(element.elts[0]), text) or "")
            if "last_login" in names or self._hashed_user_model(model, []):
                return  # an AbstractBaseUser model: Django hashes its password
            for element in elements:
                if isinstance(element, ast.Tuple) and len(element.elts) >= 2:
                    name = _string(_element(element.elts[0]), text) or ""
                    if is_password_field(name) and not _typed_as(text.source(element, 200), _NOT_PASSWORD_TYPES()):
                        self._report_field(text.expression(element), name, f"`{model}.{name}` (migration)", model or None)
        elif last == "AddField":
            model = name = ""
            for arg in args:
                if arg.keyword == "model_name":
                    model = _string(arg.value, text) or ""
                elif arg.keyword == "name":
                    name = _string(arg.value, text) or ""
            if is_password_field(name) and not self._hashed_user_model(model, []) and not _typed_as(text.source(node, 300), _NOT_PASSWORD_TYPES()):
                self._report_field(text.expression(node), name, f"`{model}.{name}` (migration)", model or None)

    # -- .sql files
    @classmethod
    def check_sql_file(cls, text: str, path: str, settings: Any, project: Any) -> list[tuple[int, int, str, tuple[str, ...]]]:
        """(line, column 0-based, message, evidence) of every password column of the
        file's CREATE TABLE / ADD COLUMN statements that nothing in the project hashes into."""
        if not re.search(r"(?i)passw|pwd", text):
            return []
        facts = project.family("passwords")
        hashers = set(data()["hasher-methods"]) | set(settings.extension("password-hashers"))
        found: list[tuple[int, int, str, tuple[str, ...]]] = []
        clean = _blank_comments(text)
        matches: list[re.Match[str]] = []
        for statement in re.finditer(r"[^;]+", clean):
            if re.match(r"(?is)\s*(?:create\s+(?:\w+\s+)*table|alter\s+table)\b", statement.group(0)):
                body = statement.group(0)
                start = body.find("(") if body.lstrip()[:6].lower() == "create" else 0
                matches.extend(m for m in _SQL_COLUMN.finditer(clean, statement.start() + max(start, 0), statement.end()))
        for match in matches:
            name = match.group("name")
            kind = match.group("type") or ""
            if not is_password_field(name) or _typed_as(kind.split("(")[0], {t.lower() for t in _NOT_PASSWORD_TYPES()} | {t.upper() for t in _NOT_PASSWORD_TYPES()}):
                continue
            if _fed_by_hasher(name, facts, {}, None, hashers) or _fed_by_any_hasher(name, facts, settings):
                continue
            line = text.count("\n", 0, match.start("name")) + 1
            column = match.start("name") - (text.rfind("\n", 0, match.start("name")) + 1)
            found.append(
                (
                    line,
                    column,
                    f"column `{name}` ({(kind.split() or ['untyped'])[0]}) holds passwords and nothing in the project stores a "
                    f"hash in it: store a slow salted hash (argon2, bcrypt, scrypt, PBKDF2) and name the column "
                    f"`password_hash`.",
                    (f"column: {name}", "no hasher output assigned to this column anywhere in the project"),
                )
            )
        return found


def _element(node: ast.expr) -> ast.expr:
    """A sequence element's value (`*x` as the CST's StarredElement.value: `x`)."""
    return node.value if isinstance(node, ast.Starred) else node


def _fed_by_any_hasher(name: str, facts: dict[str, Any], settings: Any) -> bool:
    from backlint.knowledge.passwords import is_hashy_name

    callees = field_callees(name, facts, {})
    helpers = facts.get("helpers", {})
    qualified = set(data()["hashers"])
    for callee in callees:
        last = callee.rsplit(".", 1)[-1]
        if is_hashy_name(last) or callee in qualified or any(q.endswith(".*") and callee.startswith(q[:-1]) for q in qualified):
            return True
        if any(is_hashy_name(c.rsplit(".", 1)[-1]) or c.rsplit(".", 1)[-1] in data()["hasher-methods"] for c in helpers.get(last, [])):
            return True
    return False


# A column definition inside CREATE TABLE (...) or after ADD [COLUMN].
_SQL_COLUMN = re.compile(
    r"(?im)(?:^|,|\(|\badd\s+(?:column\s+)?)\s*[\"`\[]?(?P<name>[A-Za-z_][A-Za-z0-9_]*)[\"`\]]?\s+(?P<type>[A-Za-z][A-Za-z0-9_ ]*(?:\(\s*\d+\s*\))?)"
)


def _blank_comments(text: str) -> str:
    """`-- ...` comments replaced by spaces (offsets kept)."""
    return re.sub(r"--[^\n]*", lambda m: " " * len(m.group(0)), text)


def _NOT_PASSWORD_TYPES() -> set[str]:  # noqa: N802 - reads like the constant it stands for
    return set(data()["binary-types"]) | set(data()["non-text-types"])


def _typed_as(text: str, types: set[str]) -> bool:
    """Does a column definition name one of `types` as a word (`db.Boolean`, `Mapped[bool]`)?"""
    return any(re.search(rf"(?<![A-Za-z0-9_]){re.escape(t)}(?![A-Za-z0-9_])", text) for t in types)
