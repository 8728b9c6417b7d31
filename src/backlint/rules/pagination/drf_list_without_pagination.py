"""BL302: a DRF list view / viewset or a Django ListView with no pagination."""
from __future__ import annotations

import ast
import re
from typing import Any, cast

from backlint.astrule import AstRule, Invalid, RuleMeta, Valid
from backlint.context import FileContext
from backlint.facts.web import DYNAMIC
from backlint.facts.web import dotted as dotted_name
from backlint.finding import Confidence, Severity
from backlint.rules.pagination.analysis import Knowledge, imports_of, knowledge
from backlint.rules.passwords.astutil import Spot, enclosing_function, starts_line, text_of
from backlint.web.endpoints import class_endpoint

TRIGGERS = re.compile(r"ListAPIView|ListCreateAPIView|ModelViewSet|ListModelMixin|ListView")

_DRF_FIX = (
    "set `pagination_class = PageNumberPagination` (with `page_size`) on the view, or "
    '`REST_FRAMEWORK = {"DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination", "PAGE_SIZE": 50}` in settings'
)
_DJANGO_FIX = "set `paginate_by = 50` on the view (ListView then pages with `?page=`)"


_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


def _body(node: ast.ClassDef, lines: list[str]) -> list[ast.stmt]:
    """The class's statements when they stand in an indented block (the CST's IndentedBlock;
    a one-line suite, `class A(B): x = 1`, was not read)."""
    body = node.body
    if body and not starts_line(lines, body[0]):
        return []
    return body


def _class_attrs(node: ast.ClassDef, lines: list[str]) -> tuple[dict[str, ast.expr], set[str]]:
    """Assigned attributes and method names of a class body."""
    attrs: dict[str, ast.expr] = {}
    methods: set[str] = set()
    for stmt in _body(node, lines):
        if isinstance(stmt, _FUNCTIONS):
            methods.add(stmt.name)
        elif isinstance(stmt, ast.Assign):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    attrs[target.id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None and isinstance(stmt.target, ast.Name):
            attrs[stmt.target.id] = stmt.value
    return attrs, methods


def _method(node: ast.ClassDef, name: str, lines: list[str]) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
    for stmt in _body(node, lines):
        if isinstance(stmt, _FUNCTIONS) and stmt.name == name:
            return stmt
    return None


def _scoped_text(scope: str | bool) -> str:
    """`get_queryset()` filters by the signed-in user or the request's tenant (organizer,
    event, team): a handful of rows, usually, but nothing caps it."""
    return f"`get_queryset()` is scoped to `{scope}`: usually a handful of rows, but nothing caps it"


def _is_none(node: ast.expr | None) -> bool:
    return isinstance(node, ast.Constant) and node.value is None


# class attributes and methods of a base class that page its list
_PAGES_ATTRS = ("pagination_class", "paginate_by", "get_paginate_by", "paginate_queryset", "get_paginated_response")


class DrfListWithoutPagination(AstRule):
    """
    ## What it does
    Finds class-based views that list a whole table: DRF `ListAPIView`,
    `ListCreateAPIView`, `ModelViewSet`, `ReadOnlyModelViewSet` and
    `GenericViewSet`/`GenericAPIView` with `ListModelMixin`, when neither the class nor a
    base class in the same file sets `pagination_class` and the project's settings (any
    settings module of the project, even when only this file is linted) set no
    `REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]`; and Django's generic `ListView` without
    `paginate_by` (or `get_paginate_by()`).

    `pagination_class = None` on a view switches pagination off, so it is reported even
    when the project has a default. A default that is one of DRF's own pagination classes
    with no `PAGE_SIZE` is reported too: DRF then returns every row.

    ## Why is this bad?
    The list endpoint serializes every row of the queryset on every request: responses and
    memory grow with the table, and one request can tie up a worker (CWE-770). DRF
    paginates list views only when a pagination class and a page size are configured.

    ## Known problems
    A base class imported from another module of the project may set `pagination_class`:
    such views are reported with `confidence: low`. So are views of a project whose
    `REST_FRAMEWORK` setting is computed rather than written as a literal. A `list()`
    override that does not call `paginate_queryset()` is left to BL301, which reports what
    it returns.
    """

    META = RuleMeta(
        code="BL302",
        name="drf-list-without-pagination",
        checklist="pagination",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="A DRF list view or viewset, or a Django ListView, has no pagination",
        cwe=(770,),
        owasp=("API4:2023",),
        references=(
            "https://www.django-rest-framework.org/api-guide/pagination/",
            "https://docs.djangoproject.com/en/stable/ref/class-based-views/mixins-multiple-object/#django.views.generic.list.MultipleObjectMixin.paginate_by",
            "https://cwe.mitre.org/data/definitions/770.html",
        ),
        escalate=True,
    )
    TRIGGERS = TRIGGERS

    VALID = [
        Valid(
            """
            from rest_framework import generics
            from rest_framework.pagination import PageNumberPagination

            class OrderPagination(PageNumberPagination):
                page_size = 50

            class OrderList(generics.ListAPIView):
                queryset = Order.objects.all()
                serializer_class = OrderSerializer
                pagination_class = OrderPagination
            """,
            id="drf-pagination-class",
            doc=True,
        ),
        Valid(
            """
            from rest_framework import viewsets
            from rest_framework.pagination import LimitOffsetPagination

            class BaseViewSet(viewsets.ModelViewSet):
                pagination_class = LimitOffsetPagination

            class ProductViewSet(BaseViewSet):
                queryset = Product.objects.all()
                serializer_class = ProductSerializer
            """,
            id="drf-base-class-in-file",
        ),
        Valid(
            """
            from rest_framework import generics

            class OrderDetail(generics.RetrieveUpdateAPIView):
                queryset = Order.objects.all()
                serializer_class = OrderSerializer
            """,
            id="drf-detail-view",
        ),
        Valid(
            """
            from django.views.generic import ListView

            class ArticleList(ListView):
                model = Article
                paginate_by = 20
            """,
            id="django-listview-paginate-by",
            doc=True,
        ),
        Valid(
            """
            from django.views.generic import ListView

            class LatestPosts(ListView):
                queryset = Post.objects.order_by("-published")[:20]
            """,
            id="django-listview-sliced-queryset",
        ),
        Valid(
            """
            from rest_framework import mixins, viewsets

            class TagViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
                queryset = Tag.objects.all()
                serializer_class = TagSerializer
            """,
            id="drf-no-list-mixin",
        ),
    ]
    INVALID = [
        Invalid(
            """
            from django.views.generic import ListView

            from myapp.permissions import OrganizerPermissionRequiredMixin

            class WebhookList(OrganizerPermissionRequiredMixin, ListView):
                template_name = "webhooks/list.html"

                def get_queryset(self):
                    return self.request.organizer.webhooks.all()
            """,
            id="django-list-view-scoped-to-the-tenant",
            at=(5, 1),
            message="scoped to `request.organizer`",
            confidence=Confidence.LOW,
            note="a tenant's own rows (an organizer's webhooks, an event's gates) are usually few: for review",
        ),
        Invalid(
            """
            from wagtail.admin.viewsets.model import ModelViewSet
            from wagtail.models import Locale

            class LocaleViewSet(ModelViewSet):
                model = Locale
            """,
            id="look-alike-base-from-another-package",
            at=(4, 1),
            message="is named like DRF's but is not imported from DRF",
            confidence=Confidence.LOW,
            note="wagtail's admin `ModelViewSet` is not DRF's: without the import from DRF it is only a guess",
        ),
        Invalid(
            """
            from rest_framework import generics

            class OrderList(generics.ListCreateAPIView):
                queryset = Order.objects.all()
                serializer_class = OrderSerializer
            """,
            id="drf-list-view",
            at=(3, 1),
            message="DEFAULT_PAGINATION_CLASS",
            doc=True,
        ),
        Invalid(
            """
            from rest_framework import viewsets

            @extend_schema(tags=["products"])
            class ProductViewSet(viewsets.ModelViewSet):
                queryset = Product.objects.all()
                serializer_class = ProductSerializer
                pagination_class = None
            """,
            id="drf-pagination-class-none",
            at=(4, 1),
            message="`pagination_class = None`",
        ),
        Invalid(
            """
            from rest_framework import mixins, viewsets

            class TagViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
                queryset = Tag.objects.all()
                serializer_class = TagSerializer
            """,
            id="drf-list-mixin",
            at=(3, 1),
        ),
        Invalid(
            """
            from django.views.generic import ListView

            class ArticleList(ListView):
                model = Article
                template_name = "articles.html"
            """,
            id="django-listview",
            at=(3, 1),
            message="paginate_by = 50",
            doc=True,
        ),
        Invalid(
            """
            from rest_framework import viewsets
            from core.views import AuditedMixin

            class InvoiceViewSet(AuditedMixin, viewsets.ReadOnlyModelViewSet):
                queryset = Invoice.objects.all()
                serializer_class = InvoiceSerializer
            """,
            id="base-class-in-another-module",
            at=(4, 1),
            confidence=Confidence.LOW,
            message="`core.views.AuditedMixin`",
        ),
        Invalid(
            """
            from django.views.generic import ListView

            class AuthorizationList(ListView):
                template_name = "authorized.html"

                def get_queryset(self):
                    return AccessToken.objects.filter(user=self.request.user)
            """,
            id="django-list-view-of-the-current-user",
            at=(3, 1),
            confidence=Confidence.LOW,
            message="scoped to `request.user`",
        ),
    ]

    def __init__(self, ctx: FileContext) -> None:
        super().__init__(ctx)
        self._know: Knowledge = knowledge(tuple(ctx.settings.extension("paginators")))
        self._classes: dict[str, ast.ClassDef] | None = None

    # -- the import map as the former CST Tracker kept it (analysis.imports_of)
    def visit_Module(self, node: ast.Module) -> None:
        imports_of(self.ctx)

    def visit_Import(self, node: ast.Import) -> None:
        imports_of(self.ctx).add(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        imports_of(self.ctx).add(node)

    def _module_classes(self) -> dict[str, ast.ClassDef]:
        if self._classes is None:
            parsed = self.ctx.parsed
            body = parsed.tree.body if parsed is not None else []
            self._classes = {s.name: s for s in body if isinstance(s, ast.ClassDef)}
        return self._classes

    def _lineage(self, node: ast.ClassDef) -> tuple[list[ast.ClassDef], list[str]]:
        """The class and its ancestors defined in this file; qualified names of the others."""
        chain: list[ast.ClassDef] = []
        external: list[str] = []
        stack = [node]
        imports = imports_of(self.ctx)
        text = text_of(self.ctx)
        while stack:
            current = stack.pop(0)
            if any(c is current for c in chain) or len(chain) > 20:
                continue
            chain.append(current)
            for base in current.bases:
                value = base.value if isinstance(base, ast.Starred) else base
                name = dotted_name(value)
                local = self._module_classes().get(name or "")
                if local is not None and local is not current:
                    stack.append(local)
                else:
                    external.append(imports.qualify(value) or name or text.source(value))
        return chain, external

    _scoped: str | bool = False

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        if enclosing_function(self.ctx.ast_tracker.scopes) is not None:
            return
        chain, external = self._lineage(node)
        lasts = {q.rsplit(".", 1)[-1] for q in external}
        know = self._know
        drf = bool(lasts & know.drf_list_views) or bool(lasts & know.drf_list_mixins) and bool(
            lasts & know.drf_generic_bases or any(q.endswith("ViewSet") for q in lasts)
        )
        django = not drf and bool(lasts & know.django_list_views)
        if not drf and not django:
            return
        attrs: dict[str, ast.expr] = {}
        methods: set[str] = set()
        text = text_of(self.ctx)
        for klass in reversed(chain):  # the class itself wins over its bases
            a, m = _class_attrs(klass, text.lines)
            attrs.update(a)
            methods |= m
        unknown = [
            q for q in external
            if q.split(".")[0] not in ("rest_framework", "django", "object", "typing")
            and q.rsplit(".", 1)[-1] not in know.drf_list_views | know.drf_list_mixins | know.drf_generic_bases | know.django_list_views
        ]
        # base classes defined in other modules of the project: the facts say whether each
        # pages its list (`paginate_by`, `pagination_class`, `get_paginate_by`)
        project_bases = self.ctx.project.family("pagination").get("view_bases", {})
        if any(project_bases.get(q.rsplit(".", 1)[-1]) is True for q in unknown):
            return
        # ... and, followed to their own bases (the project's classes, however named:
        # `api_base.GenericViewSet` may be the project's, setting `pagination_class`)
        settled: set[str] = set()
        for q in external:
            if q.split(".")[0] in ("rest_framework", "django") or not self.ctx.project.classes.get(q.rsplit(".", 1)[-1]):
                continue
            ancestry = self.ctx.project.ancestors([q])
            if any(ancestry.attrs.get(key) == "set" for key in _PAGES_ATTRS):
                return
            if ancestry.complete and all(e.split(".")[0] in ("rest_framework", "django", "typing") for e in ancestry.external):
                settled.add(q)  # every ancestor read: none pages
        unknown = [q for q in unknown if project_bases.get(q.rsplit(".", 1)[-1]) is None and q not in settled]
        # `ModelViewSet` imported from another package (wagtail's admin viewsets) or from a
        # module of the project is not DRF's: it may not list a queryset, or may page it
        names = know.drf_list_views | know.drf_list_mixins | know.drf_generic_bases | know.django_list_views
        named = [q for q in external if q.rsplit(".", 1)[-1] in names]
        genuine = [q for q in named if "." not in q or q.split(".")[0] in ("rest_framework", "django")]
        self._lookalikes = named if named and not genuine else []
        if isinstance(attrs.get("queryset"), ast.Subscript):
            return  # `queryset = Post.objects.order_by("-id")[:20]`: bounded by construction
        endpoint = class_endpoint(node, imports_of(self.ctx), self.ctx.project)
        label = endpoint.label if endpoint is not None else f"`{node.name}`"
        what = "lists its queryset"
        if "get_queryset" in methods:
            what = "lists what `get_queryset()` returns"
        elif "queryset" in attrs:
            what = f"lists `{text.source(attrs['queryset'])}`"
        elif "model" in attrs:
            what = f"lists every `{text.source(attrs['model'])}`"
        self._scoped = False
        for klass in chain:
            getter = _method(klass, "get_queryset", text.lines)
            if getter is not None:
                scope = re.search(r"\b(request\.(?!GET\b|POST\b|data\b|query_params\b|META\b)\w+|current_user)\b", text.function_code(getter))
                self._scoped = scope.group(1) if scope else False
                break
        if drf:
            self._drf(node, label, what, attrs, methods, unknown)
        else:
            self._django(node, label, what, attrs, methods, unknown)

    def _place(self, node: ast.ClassDef) -> Spot:
        """The class as the CST placed it (from `class` to the end of its body), with the
        CST's code for the fingerprint: the comment lines above it, its decorators, its body
        and the comment lines closing it."""
        text = text_of(self.ctx)
        assert node.end_lineno is not None and node.end_col_offset is not None
        return Spot(node.lineno, node.col_offset, node.end_lineno, node.end_col_offset, text.function_code(cast(Any, node)))

    def _drf(self, node: ast.ClassDef, label: str, what: str, attrs: dict[str, ast.expr], methods: set[str], unknown: list[str]) -> None:
        text = text_of(self.ctx)
        own_list = _method(node, "list", text.lines)
        if own_list is not None and "paginate_queryset" not in text.function_code(own_list):
            return  # BL301 judges what the override returns
        if "paginate_queryset" in methods and "list" not in methods:
            return  # a custom paginate_queryset decides
        if "pagination_class" in attrs:
            if not _is_none(attrs["pagination_class"]):
                return
            default = self.ctx.project.family("web").get("drf", {}).get("DEFAULT_PAGINATION_CLASS")
            opt_out: tuple[str, ...] = ()
            if isinstance(default, str) and default and default != DYNAMIC:
                # the project pages every list by default: this one was opted out on purpose
                opt_out = (f"the project pages lists by default (`{default}`) and this view opts out on purpose: it may be small by construction",)
            self.report(
                self._place(node),
                f"{label} {what} with `pagination_class = None`, which switches pagination off "
                f"(even the project's default): every row is serialized on each request; {_DRF_FIX}",
                confidence=Confidence.LOW if opt_out else Confidence.HIGH,
                evidence=opt_out,
            )
            return
        facts = self.ctx.project.family("web")
        settings = facts.get("drf", {})
        default = settings.get("DEFAULT_PAGINATION_CLASS")
        evidence: list[str] = []
        confidence = Confidence.HIGH
        if facts.get("drf_dynamic") or default == DYNAMIC:
            confidence = Confidence.LOW
            evidence.append("the project's REST_FRAMEWORK pagination setting is computed, not a literal")
        elif isinstance(default, str) and default:
            if default not in self._know.drf_builtin_paginators or settings.get("PAGE_SIZE") not in (None, DYNAMIC):
                return
            if settings.get("PAGE_SIZE") == DYNAMIC:
                return
            self.report(
                self._place(node),
                f"{label} {what} with no page size: the project's `DEFAULT_PAGINATION_CLASS` is `{default}` "
                f'but `REST_FRAMEWORK["PAGE_SIZE"]` is not set, so DRF returns every row; set `"PAGE_SIZE": 50` '
                f"in settings or a `pagination_class` with `page_size` on the view",
            )
            return
        if unknown:
            confidence = Confidence.LOW
            evidence.append(f"base class {', '.join(f'`{u}`' for u in unknown)} is defined elsewhere and may set `pagination_class`")
        if self._lookalikes:
            confidence = Confidence.LOW
            evidence.append(
                f"{', '.join(f'`{u}`' for u in self._lookalikes)} is named like DRF's but is not imported from DRF: "
                "it may not be a DRF view, or may page its list"
            )
        if self._scoped:
            confidence = Confidence.LOW
            evidence.append(_scoped_text(self._scoped))
        tail = f" ({'; '.join(evidence)})" if evidence else ""
        self.report(
            self._place(node),
            f"{label} {what} with no pagination: no `pagination_class` on the view or its bases in this file, "
            f'and no `REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"]` in the project\'s settings{tail}; {_DRF_FIX}',
            confidence=confidence,
            evidence=tuple(evidence),
        )

    def _django(self, node: ast.ClassDef, label: str, what: str, attrs: dict[str, ast.expr], methods: set[str], unknown: list[str]) -> None:
        if "get_paginate_by" in methods or "paginate_queryset" in methods or "get" in methods:
            return
        if "paginate_by" in attrs and not _is_none(attrs["paginate_by"]):
            return
        evidence: tuple[str, ...] = ()
        confidence = Confidence.HIGH
        if unknown and "paginate_by" not in attrs:
            confidence = Confidence.LOW
            evidence = (f"base class {', '.join(f'`{u}`' for u in unknown)} is defined elsewhere and may set `paginate_by`",)
        if self._lookalikes:
            confidence = Confidence.LOW
            evidence = (*evidence, f"{', '.join(f'`{u}`' for u in self._lookalikes)} is named like Django's but is not imported from Django")
        if self._scoped:
            confidence = Confidence.LOW
            evidence = (*evidence, _scoped_text(self._scoped))
        tail = f" ({'; '.join(evidence)})" if evidence else ""
        self.report(self._place(node), f"{label} {what} with no `paginate_by`: the template gets every row{tail}; {_DJANGO_FIX}", confidence=confidence, evidence=evidence)
