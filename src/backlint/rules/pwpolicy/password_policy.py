"""BL871: password policies that are missing or too weak.

An `ast` rule. The project's Django policy (`AUTH_PASSWORD_VALIDATORS`) is decided from
every settings module by the facts pass (facts.pwpolicy.decide) and reported once, in the
one settings module the decision names; Flask-Security's minimum length, and the schema
classes that take a new password (DRF serializers, Django forms, pydantic models, WTForms
forms), are judged in the file that holds them, in the file's one traversal (a class's
calls are seen as the walk passes them and judged when it leaves the class)."""
from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts import own_part
from backlint.facts.pwpolicy import EMPTY, NO_LENGTH, SHORT, Decision, decide, merge, name_words, path_kind
from backlint.facts.web import dotted
from backlint.finding import Confidence, Severity
from backlint.knowledge.pwpolicy import PASSWORD_WORDS, FormKind, knowledge, rule_trigger
from backlint.project import known_family
from backlint.rules.pwpolicy.examples import INVALID, VALID
from backlint.settings import Settings

_CONFIDENCE = {"high": Confidence.HIGH, "medium": Confidence.MEDIUM, "low": Confidence.LOW}
_KIND_NAMES = {"drf": "DRF serializer", "django_forms": "Django form", "pydantic": "pydantic model", "wtforms": "WTForms form"}


def _norm(path: str) -> str:
    return os.path.normcase(os.path.normpath(os.path.abspath(path)))


def _dotted(node: ast.AST) -> str:
    return dotted(node) or ""


def _last(name: str) -> str:
    return name.rsplit(".", 1)[-1]


def _int(node: ast.AST | None) -> int | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, int) and not isinstance(node.value, bool):
        return node.value
    return None


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


@dataclass
class _Check:
    """What a field's own declaration says about its length."""

    status: str  # "none" (no check), "short", "ok", "maybe" (a validator that may check)
    length: int | None = None
    what: str = ""


@dataclass
class _Class:
    """A schema class being walked."""

    node: ast.ClassDef
    kind: FormKind
    opaque: bool  # an ancestor lives in another module: its validators are not seen
    validated: set[str] = field(default_factory=set)  # fields with a validation hook ("*": all)
    inherited: set[str] = field(default_factory=set)
    calls_validate: bool = False
    sets_password: bool = False
    fields: list[tuple[str, ast.AST, _Check]] = field(default_factory=list)


_SUBCLASSES: dict[int, tuple[Any, re.Pattern[str] | None]] = {}


def _project_schema_classes(project: Any) -> re.Pattern[str] | None:
    """A pattern of the names of the project's classes that derive (through other project
    classes) from a schema kind's base, once per project: a file subclassing one names no
    kind base of its own."""
    classes = getattr(project, "classes", None) or {}
    cached = _SUBCLASSES.get(id(project))
    if cached is not None and cached[0] is project:
        return cached[1]
    k = knowledge()
    known = {_last(b) for kind in k.kinds for b in kind.bases}
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, entries in classes.items():
            if name in found:
                continue
            if any(_last(base) in known or _last(base) in found for entry in entries for base in entry[0]):
                found.add(name)
                changed = True
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n) for n in sorted(found)) + r")\b") if found else None
    if len(_SUBCLASSES) > 8:
        _SUBCLASSES.clear()
    _SUBCLASSES[id(project)] = (project, pattern)
    return pattern


class PasswordPolicy(AstRule):
    """
    ## What it does
    Finds password policies that are missing or too weak:

    - Django settings with `AUTH_PASSWORD_VALIDATORS = []`, a `MinimumLengthValidator`
      whose `min_length` is below 8, or a list of Django's validators without the length
      one; and Django settings without `AUTH_PASSWORD_VALIDATORS` at all (Django's default
      is no validator) in a project that lets users set passwords: `medium` when the project
      has its own sign-up or password-change code (a `UserCreationForm` subclass,
      `set_password(...)`, `create_user(...)`, Django's password views), else `low`
      (`django.contrib.auth` is installed, so the admin and `changepassword` set passwords).
      All settings modules of the project decide together (a `settings/base.py` sets it for
      `settings/production.py`); the finding is reported **once per project**, on the
      setting's line, or on the first line of the main settings module when it is missing.
      Test settings (`settings/test.py`, `test_settings.py`, anything under `tests/`) stay
      silent; development settings (`settings/dev.py`, `local_settings.py`) are `low`, and
      silent when another settings module keeps a length check.
    - Flask-Security's `SECURITY_PASSWORD_LENGTH_MIN` below 8 (a config class, module, or
      `app.config`).
    - A schema that takes a new password (a field named `password`, `new_password`,
      `password1`... in a sign-up, user-creation or password-change class) with no length
      check: a DRF serializer `CharField` without `min_length`, `validators=` or a
      `validate_password(...)` call (or a Django password form such as `SetPasswordForm` that
    the class hands the data to); a Django form `CharField` without `min_length` or a
      `clean_<field>()`; a pydantic field typed `str` / `SecretStr` without `min_length`
      (`Field`, `constr`, `StringConstraints`, `MinLen`) or a validator; a WTForms
      `PasswordField` without `Length(min=...)`. A `min_length` below 8 is reported too.
      Confidence is `medium` when the class's name or body says it takes a new password
      (`RegisterSerializer`, `UserCreate`, `ChangePasswordForm`, a class calling
      `create_user`), `low` for a class merely named for a user (`UserSerializer`), or when
      an ancestor in another module may hold the check. Login classes are left alone.

    ## Why is this bad?
    Without a minimum length users pick `1234` or `qwerty`, which an online guessing attack
    finds in a few tries and a stolen hash database gives up at once, whatever the hash.
    OWASP's ASVS and NIST SP 800-63B ask for at least 8 characters (12 or more advised) and a
    check against common passwords.

    ## Known problems
    A length check done elsewhere (in the view that uses the schema, in a custom user
    manager, by a middleware, or by a policy library the rule does not know) is invisible
    for schemas, hence `medium` at most; settings computed at run time (from the
    environment, from a package outside the project) count as set. django-allauth's and
    other libraries' own length settings are not read.

    ## Example
    ```python
    AUTH_PASSWORD_VALIDATORS = []
    ```
    Use instead:
    ```python
    AUTH_PASSWORD_VALIDATORS = [
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]
    ```
    """

    META = RuleMeta(
        code="BL871",
        name="password-policy",
        checklist="password-policy",
        severity=Severity.MEDIUM,
        confidence=Confidence.MEDIUM,
        summary="missing or weak password policy: no or empty AUTH_PASSWORD_VALIDATORS, a minimum length below 8, a new-password field without a length check",
        cwe=(521,),
        references=(
            "https://docs.djangoproject.com/en/stable/topics/auth/passwords/#enabling-password-validation",
            "https://www.django-rest-framework.org/api-guide/fields/#charfield",
            "https://docs.pydantic.dev/latest/concepts/fields/#string-constraints",
            "https://wtforms.readthedocs.io/en/3.1.x/validators/#wtforms.validators.Length",
            "https://flask-security-too.readthedocs.io/en/stable/configuration.html#SECURITY_PASSWORD_LENGTH_MIN",
            "https://cheatsheetseries.owasp.org/cheatsheets/Authentication_Cheat_Sheet.html#implement-proper-password-strength-controls",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        merged = known_family(project, "pwpolicy")
        if merged is None:
            return rule_trigger(text)
        # with the project's facts, only the one settings module they name can hold the
        # settings finding: when there is none, the settings words trigger nothing
        if rule_trigger(text, settings_finding=decide(merged) is not None):
            return True
        # a schema class whose base is a project class of another module
        subclasses = _project_schema_classes(project)
        return subclasses is not None and any(w in text.lower() for w in PASSWORD_WORDS) and subclasses.search(text) is not None

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self.k = knowledge()
        self.kind = path_kind(ctx.path)
        self.skip = self.kind == "test" or "/migrations/" in "/" + ctx.path.replace("\\", "/")
        self.imports: dict[str, str] = ctx.parsed.imports() if ctx.parsed is not None else {}
        self.stack: list[_Class | None] = []
        self.local: dict[str, _Class] = {}  # schema classes of this file, by name
        self.decision = None if self.skip else self._decision()

    # -- the project's Django settings -------------------------------------------------
    def _decision(self) -> Decision | None:
        project = self.ctx.project
        merged = known_family(project, "pwpolicy")
        if merged is None:  # no project facts (one file on its own): its own part decides
            part = own_part("pwpolicy", self.ctx)
            merged = merge([part] if part else [])
        found = decide(merged)
        if found is None or _norm(found.file) != _norm(self.ctx.path):
            return None
        return found

    def leave_Module(self, node: ast.Module) -> None:
        decision = self.decision
        if decision is None or self.ctx.parsed is None:
            return
        k = self.k
        target: ast.AST | None = None
        if decision.status == "missing":
            first = self.ctx.text.split("\n", 1)[0].rstrip("\r")
            target = ast.Pass(lineno=1, col_offset=0, end_lineno=1, end_col_offset=len(first.encode("utf-8")))
        else:
            for stmt in self.ctx.parsed.of_type(ast.Assign, ast.AnnAssign):
                if getattr(stmt, "lineno", 0) == decision.line and getattr(stmt, "col_offset", -1) == decision.col:
                    target = stmt
                    break
        if target is None:
            return
        fix = f"Set `{k.setting}` with `MinimumLengthValidator` (`\"OPTIONS\": {{\"min_length\": {k.advised}}}`) and `CommonPasswordValidator`: `{k.django_fix}`."
        if decision.status == EMPTY:
            message = (f"`{k.setting} = []` turns Django's password validation off: the sign-up, password-change and reset "
                       f"forms, `createsuperuser` and `changepassword` accept any password, one character included. {fix}")
        elif decision.status == SHORT:
            message = (f"`{k.setting}` sets `MinimumLengthValidator` with `min_length` {decision.length}, below {k.minimum}: "
                       f"passwords of {decision.length} characters are accepted. Raise `min_length` to {k.advised} (at least {k.minimum}) and keep `CommonPasswordValidator`.")
        elif decision.status == NO_LENGTH:
            message = (f"`{k.setting}` lists only Django's other validators and no `MinimumLengthValidator`: no minimum length is "
                       f"enforced. Add `{{\"NAME\": \"django.contrib.auth.password_validation.MinimumLengthValidator\", \"OPTIONS\": {{\"min_length\": {k.advised}}}}}`.")
        else:
            message = (f"This settings module (and no other of the project) sets no `{k.setting}`: Django's default is no validator, "
                       f"so users can choose any password, one character included. {fix}")
        self.decision = None
        self.report(target, message, confidence=_CONFIDENCE[decision.confidence], evidence=decision.evidence)

    # -- Flask-Security ------------------------------------------------------------------
    def _flask_setting(self, at: ast.AST, value: ast.AST | None) -> None:
        k = self.k
        length = _int(value)
        if self.skip or length is None or length >= k.minimum:
            return
        klass = self._enclosing_class_name()
        words = name_words(klass) if klass else set()
        if words & k.test_words or (klass or "").lower().startswith("test"):
            return
        confidence = Confidence.HIGH
        evidence: tuple[str, ...] = ()
        if self.kind == "dev" or words & k.dev_words:
            confidence = Confidence.LOW
            evidence = ("set in a development config" + (f" (`{klass}`)" if klass else f" ({self.ctx.path})"),)
        self.report(
            at,
            f"`{k.flask_setting} = {length}` lets Flask-Security accept passwords of {length} characters, below {k.minimum}. "
            f"Set {k.flask_fix}.",
            confidence=confidence,
            evidence=evidence,
        )

    def _enclosing_class_name(self) -> str | None:
        for stmt in reversed(self.ctx.ast_tracker.path):
            if isinstance(stmt, ast.ClassDef):
                return stmt.name
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                return None
        return None

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            if isinstance(target, ast.Name) and target.id == self.k.flask_setting:
                self._flask_setting(node, node.value)
            elif isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant) and target.slice.value == self.k.flask_setting:
                self._flask_setting(node, node.value)  # app.config["SECURITY_PASSWORD_LENGTH_MIN"] = 6

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        if isinstance(node.target, ast.Name) and node.target.id == self.k.flask_setting:
            self._flask_setting(node, node.value)

    def visit_keyword(self, node: ast.keyword) -> None:
        if node.arg == self.k.flask_setting:  # app.config.update(SECURITY_PASSWORD_LENGTH_MIN=6)
            self._flask_setting(node, node.value)

    def visit_Dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values):
            if isinstance(key, ast.Constant) and key.value == self.k.flask_setting:
                self._flask_setting(key, value)

    # -- schema classes --------------------------------------------------------------------
    def _qualified(self, node: ast.AST) -> str:
        name = _dotted(node)
        head, _, rest = name.partition(".")
        if head in self.imports:
            full = self.imports[head]
            return f"{full}.{rest}" if rest else full
        return name

    def _class_kind(self, node: ast.ClassDef) -> tuple[FormKind, bool, set[str], bool] | None:
        """(kind, opaque, validated fields inherited, model validator inherited) of a class
        whose bases make it a schema kind; None for another class."""
        for base in node.bases:
            name = _dotted(base)
            if not name:
                continue
            if name in self.local:  # a schema class of this file
                parent = self.local[name]
                return parent.kind, parent.opaque, parent.validated | parent.inherited, parent.calls_validate
            qualified = self._qualified(base)
            for kind in self.k.kinds:
                if qualified in kind.bases:
                    return kind, False, set(), False
        project = self.ctx.project
        packages = {value.split(".")[0] for value in self.imports.values()}
        for base in node.bases:
            name = _dotted(base)
            if not name or name in self.local:
                continue
            qualified = self._qualified(base).lstrip(".")
            externals = list(project.ancestors([qualified]).external) if project is not None and getattr(project, "classes", None) else [qualified]
            for external in externals:
                for kind in self.k.kinds:
                    if external in kind.bases:
                        return kind, True, set(), False
            # a base from a library the rule does not know (`I18nAwareModelSerializer`):
            # named like the kind's bases, in a file written for that kind's package
            for external in externals:
                for kind in self.k.kinds:
                    suffixes = tuple(_last(b) for b in kind.bases)
                    if _last(external).endswith(suffixes) and packages & {b.split(".")[0] for b in kind.bases}:
                        return kind, True, set(), False
        return None

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if self.skip:
            self.stack.append(None)
            return
        found = self._class_kind(node)
        if found is None or any(kw.arg == "table" and isinstance(kw.value, ast.Constant) and kw.value.value is True for kw in node.keywords):
            self.stack.append(None)  # not a schema class (an SQLModel table is a model)
            return
        kind, opaque, inherited, model_validated = found
        frame = _Class(node, kind, opaque, inherited=set(inherited), calls_validate=model_validated)
        for stmt in node.body:
            self._member(frame, stmt)
        self.stack.append(frame)

    def _member(self, frame: _Class, stmt: ast.stmt) -> None:
        k = self.k
        kind = frame.kind
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for template in kind.hooks:
                prefix, _, suffix = template.partition("{field}")
                if stmt.name.startswith(prefix) and stmt.name.endswith(suffix) and len(stmt.name) > len(prefix) + len(suffix):
                    frame.validated.add(stmt.name[len(prefix): len(stmt.name) - len(suffix)])
            if kind.name == "pydantic":
                for decorator in stmt.decorator_list:
                    call = decorator if isinstance(decorator, ast.Call) else None
                    name = self._qualified(call.func if call is not None else decorator)
                    if name in k.pydantic_model_decorators or _last(name) in {_last(d) for d in k.pydantic_model_decorators}:
                        frame.validated.add("*")
                    elif name in k.pydantic_field_decorators or _last(name) in {_last(d) for d in k.pydantic_field_decorators}:
                        for arg in call.args if call is not None else ():
                            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                                frame.validated.add(arg.value)
            return
        if kind.name == "pydantic":
            if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name) and k.new_password.match(stmt.target.id):
                check = self._pydantic_check(stmt)
                if check is not None:
                    frame.fields.append((stmt.target.id, stmt, check))
            return
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) and isinstance(stmt.value, ast.Call):
            name = stmt.targets[0].id
            call = stmt.value
            if _last(_dotted(call.func)) not in kind.fields or not k.new_password.match(name):
                return
            if kind.name == "drf" and isinstance(_keyword(call, "read_only"), ast.Constant) and _keyword(call, "read_only").value is True:  # type: ignore[union-attr]
                return
            check = self._wtforms_check(call) if kind.name == "wtforms" else self._keyword_check(call, kind)
            frame.fields.append((name, stmt, check))

    def _keyword_check(self, call: ast.Call, kind: FormKind) -> _Check:
        length_node = _keyword(call, kind.length_keyword)
        if length_node is not None:
            length = _int(length_node)
            if length is None:
                return _Check("ok")
            return _Check("short", length, f"`{kind.length_keyword}={length}`") if length < self.k.minimum else _Check("ok")
        if _keyword(call, kind.validators_keyword) is not None:
            return _Check("ok")
        return _Check("none")

    def _wtforms_check(self, call: ast.Call) -> _Check:
        kind = self.k.kind("wtforms")
        listed = _keyword(call, "validators")
        if listed is None and len(call.args) > 1:
            listed = call.args[1]
        if listed is None:
            return _Check("none")
        if not isinstance(listed, (ast.List, ast.Tuple)):
            return _Check("ok")  # built elsewhere
        maybe = False
        for item in listed.elts:
            target = item.func if isinstance(item, ast.Call) else item
            name = self._qualified(target)
            if name in kind.length_validators or _last(name) in {_last(v) for v in kind.length_validators}:
                if not isinstance(item, ast.Call):
                    continue
                node = _keyword(item, kind.length_keyword) or (item.args[0] if item.args else None)
                if node is None:
                    continue  # Length(max=...) only
                length = _int(node)
                if length is None:
                    return _Check("ok")
                return _Check("short", length, f"`Length(min={length})`") if length < self.k.minimum else _Check("ok")
            if name in kind.maybe_length or _last(name) in {_last(v) for v in kind.maybe_length}:
                return _Check("ok")
            if _last(name) not in kind.not_length:
                maybe = True
        return _Check("maybe") if maybe else _Check("none")

    def _pydantic_check(self, stmt: ast.AnnAssign) -> _Check | None:
        """The field's length check, or None when its type is not a plain string (a custom
        type, `EmailStr`, a nested model: not judged)."""
        k = self.k
        annotation = stmt.annotation
        constraints: list[ast.Call] = []
        validated = False
        if isinstance(annotation, ast.Subscript) and _last(self._qualified(annotation.value)) == "Annotated":
            items = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
            if not items:
                return None
            annotation = items[0]
            for meta in items[1:]:
                if isinstance(meta, ast.Call):
                    name = _last(self._qualified(meta.func))
                    if name in {_last(v) for v in k.pydantic_annotation_validators}:
                        validated = True
                    elif name in {_last(v) for v in k.pydantic_length_markers}:
                        constraints.append(meta)
                    elif name in {_last(v) for v in k.pydantic_field_calls}:
                        constraints.append(meta)
        if isinstance(annotation, ast.Call) and _last(self._qualified(annotation.func)) in {_last(v) for v in k.pydantic_field_calls}:
            constraints.append(annotation)  # constr(min_length=8)
        elif not self._plain_string(annotation):
            return None
        if isinstance(stmt.value, ast.Call) and (
            _last(self._qualified(stmt.value.func)) in {_last(v) for v in k.pydantic_field_calls} or _keyword(stmt.value, "min_length") is not None
        ):
            constraints.append(stmt.value)  # Field(min_length=...), and FastAPI's Query/Body/Form (FieldInfo too)
        if validated:
            return _Check("ok")
        for call in constraints:
            name = _last(self._qualified(call.func))
            node = (call.args[0] if call.args else None) if name in {_last(v) for v in k.pydantic_length_markers} else _keyword(call, "min_length")
            if node is None:
                continue
            length = _int(node)
            if length is None:
                return _Check("ok")
            return _Check("short", length, f"`min_length={length}`") if length < k.minimum else _Check("ok")
        return _Check("none")

    def _plain_string(self, annotation: ast.AST) -> bool:
        strings = self.k.pydantic_string_types
        if isinstance(annotation, ast.Constant) and isinstance(annotation.value, str):
            try:
                annotation = ast.parse(annotation.value, mode="eval").body
            except SyntaxError:
                return False
        if isinstance(annotation, ast.BinOp) and isinstance(annotation.op, ast.BitOr):
            sides = [annotation.left, annotation.right]
            return any(self._plain_string(s) for s in sides) and all(self._plain_string(s) or _dotted(s) == "None" or (isinstance(s, ast.Constant) and s.value is None) for s in sides)
        if isinstance(annotation, ast.Subscript):
            head = self._qualified(annotation.value)
            if head in strings and _last(head) in ("Optional", "Union"):
                inner = annotation.slice.elts if isinstance(annotation.slice, ast.Tuple) else [annotation.slice]
                return any(self._plain_string(s) for s in inner) and all(
                    self._plain_string(s) or (isinstance(s, ast.Constant) and s.value is None) for s in inner
                )
            return False
        name = self._qualified(annotation)
        return bool(name) and name in strings and _last(name) not in ("Optional", "Union")

    def visit_Call(self, node: ast.Call) -> None:
        if not self.stack:
            return
        frame = self.stack[-1]
        if frame is None:
            return
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in self.k.validate_calls:
            frame.calls_validate = True
        elif name in self.k.password_calls:
            frame.sets_password = True

    def visit_Compare(self, node: ast.Compare) -> None:
        """`if len(password1) < settings.MIN_PASSWORD_LENGTH:` anywhere in the class (in a
        `clean()` or the confirmation field's hook): the class checks the length itself."""
        if not self.stack or self.stack[-1] is None:
            return
        for operand in (node.left, *node.comparators):
            if isinstance(operand, ast.Call) and isinstance(operand.func, ast.Name) and operand.func.id == "len" and operand.args:
                text = (self.ctx.parsed.segment(operand.args[0]) if self.ctx.parsed is not None else "").lower()
                if any(word in text for word in PASSWORD_WORDS):
                    self.stack[-1].calls_validate = True

    def visit_Name(self, node: ast.Name) -> None:
        if self.stack and self.stack[-1] is not None and node.id in self.k.password_forms:
            self.stack[-1].calls_validate = True  # hands the password to SetPasswordForm & co, which validate it

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if self.stack and self.stack[-1] is not None and node.attr in self.k.password_forms:
            self.stack[-1].calls_validate = True

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        frame = self.stack.pop() if self.stack else None
        if frame is None:
            return
        self.local[node.name] = frame
        if frame.calls_validate:
            return
        for name, stmt, check in frame.fields:
            if check.status == "ok" or name in frame.validated or "*" in frame.validated:
                continue
            if check.status != "short" and (name in frame.inherited or "*" in frame.inherited):
                continue
            self._judge(frame, name, stmt, check)

    def _purpose(self, frame: _Class, field_name: str) -> str | None:
        """"new" when the class (its name or its body) settles that it takes a new password,
        "maybe" for a class named for a user, None for a login class or another one."""
        k = self.k
        name = frame.node.name
        if k.password_change.search(name) or k.signup.search(name):
            return "new"
        if k.login.search(name):
            return None
        if k.explicitly_new.match(field_name) or frame.sets_password:
            return "new"
        if k.subject.search(name):
            return "new" if k.action.search(name.replace(k.subject.search(name).group(0), " ", 1)) else "maybe"  # type: ignore[union-attr]
        return None

    def _judge(self, frame: _Class, name: str, stmt: ast.AST, check: _Check) -> None:
        k = self.k
        purpose = self._purpose(frame, name)
        if purpose is None:
            return
        kind = frame.kind
        label = _KIND_NAMES[kind.name]
        fix = kind.fix.replace("{field}", name)
        evidence: list[str] = [f"{label} `{frame.node.name}`" + (" creates users or sets passwords" if frame.sets_password else "")]
        if check.status == "short":
            confidence = Confidence.HIGH if purpose == "new" else Confidence.MEDIUM
            message = (f"`{frame.node.name}.{name}` accepts new passwords of {check.length} characters ({check.what}), below {k.minimum}. "
                       f"Require at least {k.advised}: {fix}.")
        else:
            confidence = Confidence.MEDIUM if purpose == "new" else Confidence.LOW
            if check.status == "maybe":
                confidence = Confidence.LOW
                evidence.append("a validator of the field that is not a known one may check the length")
            if purpose == "maybe":
                evidence.append("the class's name does not say it takes a new password (sign-up, user creation, password change)")
            if frame.opaque:
                confidence = Confidence.LOW
                evidence.append("an ancestor class in another module may validate the field")
            missing = {
                "wtforms": "no `Length(min=...)` validator",
                "pydantic": "no `min_length`, no validator",
            }.get(kind.name, f"no `{kind.length_keyword}`, no validator, no `validate_password()` call")
            message = (f"`{frame.node.name}.{name}` takes a new password with no length check ({missing}): "
                       f"any password, one character included, is accepted unless the view checks it. Use {fix}.")
        self.report(stmt, message, confidence=confidence, evidence=tuple(evidence))
