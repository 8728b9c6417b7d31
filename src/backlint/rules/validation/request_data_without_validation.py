"""BL601: raw request data written to the database or handed to a service with no schema in between."""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.finding import Confidence, Severity
from backlint.roots import is_test_file
from backlint.rules.passwords.astutil import FunctionNode, Spot, Text, text_of
from backlint.rules.validation.analysis import scan
from backlint.rules.validation.examples import INVALID, VALID
from backlint.knowledge.validation import configured
from backlint.settings import Settings
from backlint.web.endpoints import class_view, endpoint_of, names_at
from backlint.web.hints import endpoint_hint

_READS = re.compile(r"\.(?:form|args|values|json|json_body|POST|GET|data|query_params|params|query|get_json|post|body)\b")
_HANDLERS = ("post", "put", "patch", "delete", "get", "create", "update", "partial_update", "destroy", "form_valid",
             "on_post", "on_put", "on_patch")


class RequestDataWithoutValidation(AstRule):
    """
    ## What it does
    Finds handlers that take raw request data (`request.json`, `request.get_json()`,
    `request.form[...]`, `request.args`, Django `request.POST[...]` and
    `json.loads(request.body)`, DRF `request.data[...]`, Starlette and aiohttp
    `await request.json()` / `await request.post()`, Pyramid `request.json_body`) and pass
    it, directly or through local variables, into a write: a model constructor whose
    instance is saved, an ORM `create()`/`update()`, an attribute of a record that is then
    saved, a SQL `INSERT`/`UPDATE`, a pymongo write, or a service call named like one
    (`create_order(...)`), with no schema in between.

    A handler is left alone when it validates anything: a DRF serializer or Django form
    (`.is_valid()`, `validated_data`, `cleaned_data`), a pydantic model or FastAPI typed
    body, marshmallow `.load()`, WTForms `validate_on_submit()`, `jsonschema.validate`,
    webargs `@use_args`, flask-expects-json, or a project function named `validate_*`.
    A value that is converted (`int(...)`, `Decimal(...)`, `uuid.UUID(...)`) or tested in
    an `if` before it is used counts as checked. `Model(**request.json)` is left to the
    mass-assignment rule. Test modules are skipped.

    One finding per handler, on the first write; the evidence lists every flow seen.
    Findings are candidates for a reviewer (`confidence: low`).

    ## Why is this bad?
    Data that reaches the database without a schema can have any type, size or shape:
    a list where a string was expected, a negative quantity, a ten-megabyte title, a
    status outside the allowed values (CWE-20). The errors surface later, far from the
    request, or not at all; a schema at the edge rejects them with a clear 400.

    ## Known problems
    Validation done in a helper of another module that the rule does not recognise by
    name, and constraints enforced only by the database, are invisible.
    """

    META = RuleMeta(
        code="BL601",
        name="request-data-without-validation",
        checklist="input-validation",
        severity=Severity.MEDIUM,
        confidence=Confidence.LOW,
        summary="Raw request data written or handed to a service with no validation schema in between",
        cwe=(20,),
        owasp=("A03:2021",),
        references=(
            "https://cwe.mitre.org/data/definitions/20.html",
            "https://cheatsheetseries.owasp.org/cheatsheets/Input_Validation_Cheat_Sheet.html",
            "https://www.django-rest-framework.org/api-guide/serializers/#validation",
            "https://docs.djangoproject.com/en/stable/topics/forms/",
            "https://fastapi.tiangolo.com/tutorial/body/",
            "https://marshmallow.readthedocs.io/",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        return endpoint_hint(text) and _READS.search(text) is not None

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._skip = is_test_file(ctx.path)
        self._extra = configured(ctx.settings)

    def visit_FunctionDef(self, node: FunctionNode) -> None:
        if self._skip:
            return
        scopes = self.ctx.ast_tracker.scopes
        view_class = None
        if len(scopes) > 2:
            return
        names = names_at(self.ctx, node)
        if len(scopes) == 2 and isinstance(scopes[0], ast.ClassDef):
            view_class = scopes[0]
            if class_view(view_class, names, self.ctx.project) is None:
                return
        elif len(scopes) != 1:
            return
        endpoint = endpoint_of(node, names, self.ctx.project, view_class)
        if endpoint is None and not (view_class is not None and node.name in _HANDLERS):
            return
        text = text_of(self.ctx)
        if not _READS.search(text.body_code(node)):
            return
        result = scan(node, names, self._extra, text)
        if result.validated or not result.flows:
            return
        first = result.flows[0]
        name = f"`{node.name}()`" if endpoint is None else endpoint.label
        if view_class is not None:
            name = f"`{view_class.name}.{node.name}()`"
        framework = endpoint.framework if endpoint is not None else class_view(view_class, names, self.ctx.project) if view_class is not None else ""
        value = f"`{first.value}`" + (f" (from `{first.source}`)" if first.source != first.value else "")
        self.report(
            _place(text, first.node),
            f"{value} reaches {first.sink} in {name} with no validation in between. {_fix(framework or '')}",
            evidence=(
                f"endpoint: {name}",
                *(f"flow: `{f.value}` from `{f.source}` -> {f.sink}" for f in result.flows[:5]),
                "looked for: a serializer or form `.is_valid()`, a pydantic model or typed body, marshmallow `.load()`, "
                "`validate_on_submit()`, `jsonschema.validate`, `@use_args`, a `validate_*` helper, a conversion "
                "(`int()`...) or an `if` that checks the value",
            ),
        )

    visit_AsyncFunctionDef = visit_FunctionDef


def _place(text: Text, node: ast.AST) -> Spot:
    """Where the CST rule reported a flow: the write call (its code with its own
    parentheses), or the assignment statement (its code with a `;` after it)."""
    if isinstance(node, ast.stmt):
        return text.small_statement(node)
    return text.expression(node)


def _fix(framework: str) -> str:
    if framework == "drf":
        return "Pass `request.data` to a serializer and use `serializer.validated_data` after `is_valid(raise_exception=True)`."
    if framework == "django":
        return "Bind the data to a `Form`/`ModelForm` and read `form.cleaned_data` after `form.is_valid()`."
    if framework == "fastapi":
        return "Declare the body as a pydantic model parameter instead of reading `request.json()`."
    if framework in ("flask", "quart"):
        return "Load the body through a schema first (marshmallow `Schema().load(...)`, pydantic `Model.model_validate(...)`, or a WTForms form with `validate_on_submit()`)."
    return "Validate it with a schema (pydantic, marshmallow, a form) before it is stored."
