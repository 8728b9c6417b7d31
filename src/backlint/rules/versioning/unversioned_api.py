"""BL701: a project whose API routes carry no version, reported once per project.

An `ast` rule (backlint.astrule): it reports on the route declaration the project facts
chose as the anchor, found with the facts' own enumeration (facts.versioning.
route_declarations), so the two always agree on which call it is."""
from __future__ import annotations

import ast
import re
from typing import Any, cast

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.versioning import VersioningFacts, route_declarations
from backlint.finding import Confidence, Severity
from backlint.project import known_family
from backlint.prefilter import fast
from backlint.rules.authz.analysis import family, norm
from backlint.rules.versioning.examples import INVALID, VALID
from backlint.settings import Settings
from backlint.web.hints import ENDPOINT_HINT

_ROUTES = re.compile(ENDPOINT_HINT.pattern + r"|\.register\(|add_resource\(|\bpath\(")


class UnversionedApi(AstRule):
    """
    ## What it does
    Finds projects that serve a JSON API whose routes carry no version at all. A project
    serves an API when it has DRF registrations, flask-restful resources, FastAPI or
    django-ninja routes that answer JSON, routes under an `/api` segment or prefix, or
    when most of its routes answer JSON (`jsonify`, `JsonResponse`, `json_response`, a
    returned dict); a site that renders HTML pages is not one. The API is versioned when
    any route or prefix has a version segment (`/v1/`, `/api/2.0/`, `<version>`):
    Flask `Blueprint(url_prefix=...)`, `register_blueprint(url_prefix=...)`, FastAPI
    `APIRouter(prefix=...)` and `include_router(prefix=...)`, Django
    `path("api/v1/", include(...))`; or when DRF versioning is configured
    (`DEFAULT_VERSIONING_CLASS`, `versioning_class`), or the code reads a version header
    or vendor media type (`Accept-Version`, `X-API-Version`,
    `application/vnd.acme.v2+json`).

    The finding is reported **once per project**, on the first API route declaration
    (in path order), with a few unversioned routes as evidence. It is a candidate for a
    reviewer (`confidence: low`): an internal API that only one client of the same
    release uses may not need versions.

    ## Why is this bad?
    Without a version in the contract, every change to a response or a parameter breaks
    the clients already deployed (mobile apps that are not updated, partners'
    integrations); a version lets the old and the new contract live side by side while
    clients move.

    ## Known problems
    Versions added by a gateway or a reverse proxy in front of the app, and routes
    assembled at run time from variables, are invisible. The finding goes on a route of
    the project's first API file: when that file is not among the linted ones (a
    pre-commit run over other files), the run reports nothing.
    """

    META = RuleMeta(
        code="BL701",
        name="unversioned-api",
        checklist="api-versioning",
        severity=Severity.LOW,
        confidence=Confidence.LOW,
        summary="JSON API whose routes carry no version (reported once per project)",
        cwe=(),
        references=(
            "https://www.django-rest-framework.org/api-guide/versioning/",
            "https://fastapi.tiangolo.com/tutorial/bigger-applications/#include-the-same-router-multiple-times-with-different-prefix",
            "https://learn.microsoft.com/en-us/azure/architecture/best-practices/api-design#implement-versioning",
            "https://swagger.io/blog/api-development/api-versioning-best-practices/",
        ),
        escalate=True,
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        return fast(_ROUTES).search(text)

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Reported once per project, on the anchor route the facts chose: with project
        facts, no other file can hold the finding."""
        facts = known_family(project, "versioning")
        if facts is None:
            return True  # no project facts (a single file): its own facts decide
        anchor = facts.anchor
        return anchor is not None and norm(anchor.file) == norm(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        facts = cast(VersioningFacts, family(ctx, "versioning"))  # typed facts (the other families: dicts still)
        anchor = facts.anchor
        self._facts = facts
        self._target: ast.Call | None = None
        self._done = False
        src = ctx.parsed
        if anchor is not None and norm(anchor.file) == norm(ctx.path) and src is not None:
            for declared in route_declarations(src):
                if (declared.last, declared.route, declared.occurrence) == (anchor.last, anchor.route, anchor.occurrence):
                    self._target = declared.call
                    break

    def visit_Call(self, node: ast.Call) -> None:
        if node is not self._target or self._done:
            return
        self._done = True
        examples = self._facts.examples
        count = self._facts.count
        shown = ", ".join(f"`{e}`" for e in examples[:3]) + (f" and {count - 3} more" if count > 3 else "")
        self.report(
            node,
            f"The project's API routes carry no version ({shown}): no `/v1`-style path segment or prefix, no DRF "
            "versioning class, no version header. Put the API under a versioned prefix (`/api/v1/`: a blueprint's "
            "`url_prefix`, an `APIRouter(prefix=...)`, `path(\"api/v1/\", include(...))`) or configure DRF's "
            "`DEFAULT_VERSIONING_CLASS`.",
            evidence=(
                "API routes without a version: " + ", ".join(f"`{e}`" for e in examples) + (f" ({count} in all)" if count > len(examples) else ""),
                "looked for: a version segment in every route and prefix (`/v1`, `/api/2.0`, `<version>`), "
                "`DEFAULT_VERSIONING_CLASS`/`versioning_class`, an `Accept-Version`/`X-API-Version` header or a vendor "
                "media type",
                "reported once for the project, on its first API route",
            ),
        )
