"""BL941: queries run once per row of a loop over a query's result (N+1 queries).

An `ast` rule (backlint.astrule). What it knows of Django's and SQLAlchemy's ORMs is data:
rules/nplusone.yaml, read by backlint.knowledge.nplusone. Which attributes of a model are
relations comes from the `nplusone` facts family (the project's models, in any module).

The walk keeps, per function, the values assigned to each name so far, so that a loop over
`orders` is known to iterate `Order.objects.filter(...)` bound three lines up (with every
`select_related` / `prefetch_related` / `.options(...)` any of its assignments added). Each
loop over a collection of model instances whose model the project declares is active
while the walk is in its body (a comprehension's element and conditions); reads of the
loop variable's relations and queries that use the loop variable are checked against it.
"""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from backlint.astrule import AstRule, RuleMeta
from backlint.facts.nplusone import MANY, ONE, SA, SINGLE, eager_manager, relations
from backlint.facts import facts_for
from backlint.facts.web import dotted, resolve
from backlint.finding import Confidence, Severity
from backlint.knowledge.nplusone import Knowledge, knowledge, trigger
from backlint.prefilter import fast
from backlint.roots import is_test_file
from backlint.rules.nplusone.examples import INVALID, VALID
from backlint.settings import Settings

DJANGO = "django"
SQLALCHEMY = "sqlalchemy"
EVERYTHING = "*"
_MIGRATION = re.compile(r"(^|[\\/])(migrations|alembic|versions)[\\/]")
# commands and scripts: a one-off data fix loops once over what it fixes, a nightly job over
# everything; the code does not say which (found on the first blind run: 9 of 18 false
# positives were one-off management commands, and one nightly command was a true one)
_ONE_OFF = re.compile(r"(^|[\\/])(management[\\/]commands|scripts|bin)[\\/]")
_ONE_OFF_QUESTION = (" (in a command or script: does it run regularly, over many rows? A one-off fix over a few "
                     "rows can stay as it is)")
_WRAPPERS = ("list", "tuple", "sorted", "reversed", "enumerate")
_COMPREHENSIONS = (ast.ListComp, ast.SetComp, ast.GeneratorExp, ast.DictComp)

Pos = tuple[int, int]


@dataclass
class Source:
    """A collection of model instances: what a loop iterates."""

    orm: str
    model: str
    module: str | None
    selected: set[str] = field(default_factory=set)  # Django select_related / SQLAlchemy loader options
    prefetched: set[str] = field(default_factory=set)  # Django prefetch_related
    all_single: bool = False  # select_related() with no argument


@dataclass
class Loop:
    node: ast.AST
    var: str
    source: Source
    rel: dict[str, str]
    frame: int
    shown: str
    inside: tuple[Pos, Pos]
    outside: tuple[Pos, Pos] | None = None
    reported: set[str] = field(default_factory=set)
    serializer: str = ""  # a DRF SerializerMethodField's method: the field's name


def _start(node: ast.AST) -> Pos:
    return (getattr(node, "lineno", 0), getattr(node, "col_offset", 0))


def _end(node: ast.AST) -> Pos:
    return (getattr(node, "end_lineno", 0) or 0, getattr(node, "end_col_offset", 0) or 0)


def _within(node: ast.AST, span: tuple[Pos, Pos]) -> bool:
    return span[0] <= _start(node) and _end(node) <= span[1]


_COMMENT = re.compile(r"[ \t]+#[^\n'\"]*$", re.M)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(_COMMENT.sub("", text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _strings(call: ast.Call) -> list[str] | None:
    """The string arguments of a call, or None when one is not a literal."""
    out = []
    for arg in call.args:
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            out.append(arg.value)
        else:
            return None
    return out


def _uses(node: ast.AST, name: str) -> bool:
    return any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(node))


class QueryInLoop(AstRule):
    """
    ## What it does
    Finds queries run once per row of a loop over a query's result (the "N+1 queries"
    problem), in a `for` loop or a comprehension whose collection is a Django queryset
    (`Order.objects.filter(...)`, or a name bound to one in the function) or a SQLAlchemy
    query result (`session.query(Order)...all()`, `Order.query...`,
    `session.scalars(select(Order))`, `session.execute(select(Order)).scalars()`):

    - Django: reading a `ForeignKey` / `OneToOneField` of the row (`order.customer.name`),
      or the reverse side of a one-to-one, that the queryset does not `select_related`;
      calling a query method of a many-to-many or reverse relation's manager
      (`post.tags.all()`, `.count()`, `.filter()`) that the queryset does not
      `prefetch_related` (a `Prefetch("tags", ...)` counts), and methods a prefetch cannot
      answer (`.filter()`, `.order_by()`, `.get()`) even when it is prefetched;
    - SQLAlchemy: reading a `relationship()` attribute of the row with the default lazy
      loading (`lazy="select"`) that no loader option of the query (`joinedload`,
      `selectinload`, `subqueryload`, `contains_eager`, ...) names;
    - both: a query inside the loop that uses the loop variable
      (`Customer.objects.get(pk=order.customer_id)`, `session.query(Line).filter(Line.order_id == order.id).all()`).

    In a DRF serializer of a project model, the same reads and queries in the method of a
    `SerializerMethodField` (`get_<field>(self, obj)`) run once per object serialized: they
    are reported with `confidence: low` and the question whether the serializer lists
    (`many=True`, a list view) querysets that do not load the relation.

    Which attributes are relations comes from the project's models, in whatever module they
    are declared (a relation declared on an abstract base reaches its subclasses; reverse
    accessors come from `related_name`, `<model>_set` and `backref=`). Attributes the
    project's models do not show to be relations are never reported, and neither are
    `order.customer_id`, `.values()` / `.values_list()` rows, relations declared with an
    eager `lazy=` (`"joined"`, `"selectin"`, `"subquery"`, `"dynamic"`, `"raise"`...),
    collections passed to `prefetch_related_objects(...)`, code in nested functions, tests
    and migrations.

    ## Why is this bad?
    One query per row turns a page of 50 orders into 51 round trips to the database: the
    time grows with the data, invisibly in development, and it is one of the most common
    causes of slow endpoints in production (CWE-1050: excessive resource consumption in a
    loop). One joined or prefetched query does the same work at once.

    ## Known problems
    Only loops over a collection the function builds itself are checked: a queryset that
    comes from a parameter, `self.get_queryset()`, a custom manager or queryset method
    (which may well select its relations), or another function is not followed, nor are
    loops over a related manager (`for line in order.lines.all()`), relations read through
    another object (`order.customer.region`), templates, nested serializers over a list
    view's queryset, and serializer methods other than a `SerializerMethodField`'s
    (`to_representation`). A custom manager whose class (or queryset class) calls
    `select_related` / `prefetch_related` anywhere is trusted to load every relation.
    """

    META = RuleMeta(
        code="BL941",
        name="query-in-loop",
        checklist="n-plus-one",
        severity=Severity.MEDIUM,
        confidence=Confidence.HIGH,
        summary="a query per row: relation access or a query inside a loop over a queryset or query result with no select_related / prefetch_related / joinedload / selectinload",
        cwe=(1050,),
        references=(
            "https://docs.djangoproject.com/en/stable/ref/models/querysets/#select-related",
            "https://docs.djangoproject.com/en/stable/ref/models/querysets/#prefetch-related",
            "https://docs.djangoproject.com/en/stable/topics/db/optimization/",
            "https://docs.sqlalchemy.org/en/20/orm/queryguide/relationships.html",
        ),
        escalate=True,
        status="preview",
    )
    VALID = VALID
    INVALID = INVALID

    @classmethod
    def triggered_by(cls, text: str, settings: Settings | None = None, project: Any = None) -> bool:
        """A file with a loop (`for`) that spells a Django manager (`.objects`), SQLAlchemy's
        `.query` or a 2.0 result call (`.scalars(`, `.execute(`); or a DRF
        `SerializerMethodField`."""
        if "for " in text and fast(trigger()).search(text) is not None:
            return True
        return knowledge().drf.method_field in text

    @classmethod
    def runs_on(cls, path: str, settings: Settings, project: Any) -> bool:
        """Tests and migrations run their loops once, on small data."""
        return not is_test_file(path) and not _MIGRATION.search(path)

    def __init__(self, ctx: Any) -> None:
        super().__init__(ctx)
        self._k: Knowledge = knowledge()
        src = ctx.parsed
        self._imports: dict[str, str] = src.imports() if src is not None else {}
        self._one_off = bool(_ONE_OFF.search(ctx.path))
        self._facts: dict[str, Any] = facts_for("nplusone", ctx)
        # per frame (module, each function): name -> the values assigned to it so far (None: unknown)
        self._frames: list[dict[str, list[ast.AST | None]]] = [{}]
        self._prefetched_names: list[set[str]] = [set()]
        self._loops: list[Loop] = []
        self._relations_memo: dict[tuple[str, str | None], dict[str, str] | None] = {}
        # id(ClassDef) -> (class, model, its module, {method: SerializerMethodField name})
        self._serializers: dict[int, tuple[str, str, str | None, dict[str, str]]] = {}

    def _text(self, node: ast.AST) -> str:
        src = self.ctx.parsed
        return src.segment(node) if src is not None else ""

    # -- frames and names --------------------------------------------------------------

    def _push(self, node: ast.AST) -> None:
        frame: dict[str, list[ast.AST | None]] = {}
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            args = node.args
            for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg):
                if arg is not None:
                    frame[arg.arg] = [None]
        self._frames.append(frame)
        self._prefetched_names.append(set())

    def _pop(self) -> None:
        self._frames.pop()
        self._prefetched_names.pop()
        depth = len(self._frames) - 1
        self._loops = [loop for loop in self._loops if loop.frame <= depth]

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._push(node)
        self._serializer_method(node)

    def leave_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._pop()

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._push(node)

    def leave_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._pop()

    def visit_Lambda(self, node: ast.Lambda) -> None:
        self._push(node)

    def leave_Lambda(self, node: ast.Lambda) -> None:
        self._pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self._push(node)
        self._serializer_class(node)

    # -- DRF serializers ---------------------------------------------------------------

    def _serializer_class(self, node: ast.ClassDef) -> None:
        """A serializer of a project model with SerializerMethodFields: their methods run
        once per object serialized."""
        drf = self._k.drf
        if not any((b := (dotted(base) or "").rsplit(".", 1)[-1]) in drf.serializer_bases or b.endswith("Serializer") for base in node.bases):
            return
        model: tuple[str, str | None] | None = None
        methods: dict[str, str] = {}
        for item in node.body:
            if isinstance(item, ast.ClassDef) and item.name == "Meta":
                for entry in item.body:
                    if isinstance(entry, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "model" for t in entry.targets):
                        model = self._model(entry.value)
            elif isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name):
                value = item.value
                if isinstance(value, ast.Call) and (dotted(value.func) or "").rsplit(".", 1)[-1] == drf.method_field:
                    name = item.targets[0].id
                    custom = next((kw.value for kw in value.keywords if kw.arg == "method_name"), None)
                    method = custom.value if isinstance(custom, ast.Constant) and isinstance(custom.value, str) else f"get_{name}"
                    methods[method] = name
        if model is not None and methods:
            self._serializers[id(node)] = (node.name, model[0], model[1], methods)

    def _serializer_method(self, node: ast.FunctionDef) -> None:
        scopes = self.ctx.ast_tracker.scopes
        owner = scopes[-2] if len(scopes) >= 2 else None
        if owner is None or id(owner) not in self._serializers or node not in getattr(owner, "body", ()):
            return
        cls, model, module, methods = self._serializers[id(owner)]
        args = node.args.posonlyargs + node.args.args
        if node.name not in methods or len(args) < 2 or not node.body:
            return
        rel = self._relations(model, module, DJANGO)
        if rel is None:
            return
        shown = f"`{cls}.{node.name}` (the `{methods[node.name]}` SerializerMethodField)"
        self._loops.append(
            Loop(node, args[1].arg, Source(DJANGO, model, module), rel, len(self._frames) - 1, shown,
                 (_start(node.body[0]), _end(node.body[-1])), serializer=methods[node.name])
        )

    def leave_ClassDef(self, node: ast.ClassDef) -> None:
        self._pop()

    def _bind(self, target: ast.AST, value: ast.AST | None) -> None:
        if isinstance(target, ast.Name):
            self._frames[-1].setdefault(target.id, []).append(value)
        elif isinstance(target, (ast.Tuple, ast.List)):
            for item in target.elts:
                self._bind(item, None)
        elif isinstance(target, ast.Starred):
            self._bind(target.value, None)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._bind(target, node.value)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._bind(node.target, node.value)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._bind(node.target, None)

    def visit_NamedExpr(self, node: ast.NamedExpr) -> None:
        self._bind(node.target, node.value)

    def visit_withitem(self, node: ast.withitem) -> None:
        if node.optional_vars is not None:
            self._bind(node.optional_vars, None)

    def _local(self, name: str) -> bool:
        """Is `name` bound by a function frame (a parameter or a local)?"""
        return any(name in frame for frame in self._frames[1:])

    def _values(self, name: str) -> list[ast.AST | None] | None:
        frame = self._frames[-1]
        return frame.get(name) if len(self._frames) > 1 else None

    # -- collections -------------------------------------------------------------------

    def _model(self, node: ast.AST) -> tuple[str, str | None] | None:
        """A model class named by `node` (`Order`, `models.Order`): its name and module."""
        name = dotted(node)
        if name is None:
            return None
        first = name.split(".", 1)[0]
        if self._local(first):
            return None  # a parameter or local (`Order = apps.get_model(...)`)
        qualified = resolve(name, self._imports, self.ctx.path)
        module = qualified.rsplit(".", 1)[0] if "." in qualified else None
        return name.rsplit(".", 1)[-1], module

    def _relations(self, model: str, module: str | None, orm: str) -> dict[str, str] | None:
        key = (model, module)
        if key not in self._relations_memo:
            self._relations_memo[key] = relations(self._facts, model, module)
        found = self._relations_memo[key]
        if not found:
            return None
        if orm == SQLALCHEMY:
            kept = {a: k for a, k in found.items() if k.startswith(SA)}
        else:
            kept = {a: k for a, k in found.items() if not k.startswith(SA)}
        return kept or None

    def _source(self, node: ast.AST, seen: dict[str, int], depth: int = 0) -> Source | None:
        """The collection of model instances `node` evaluates to, or None (not one, or not
        known). `seen`: for each name being resolved, how many of its assignments count."""
        if depth > 12:
            return None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _WRAPPERS and node.args and not self._local(node.func.id):
            return self._source(node.args[0], seen, depth + 1)
        if isinstance(node, ast.Subscript):
            if isinstance(node.slice, ast.Slice):
                return self._source(node.value, seen, depth + 1)
            return None
        if isinstance(node, ast.Name):
            return self._named(node.id, seen, depth)
        if not isinstance(node, ast.Call):
            return None
        func = node.func
        if isinstance(func, ast.Attribute):
            method = func.attr
            receiver = func.value
            d, s = self._k.django, self._k.sqlalchemy
            # SQLAlchemy's entries
            if method == s.query and len(node.args) == 1 and not node.keywords:
                model = self._model(node.args[0])
                return Source(SQLALCHEMY, *model) if model is not None else None
            if method in s.results and node.args:
                inner = self._statement(node.args[0], seen, depth + 1)
                if inner is None:
                    return None
                return inner if method == "scalars" else None  # execute(): rows of tuples until .scalars()
            if method == "scalars" and not node.args and isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Attribute) and receiver.func.attr == "execute" and receiver.args:
                return self._statement(receiver.args[0], seen, depth + 1)
            # Django's entry: Model.objects.<method>(...)
            if isinstance(receiver, ast.Attribute) and receiver.attr in d.managers:
                if method not in d.chain:
                    return None
                model = self._model(receiver.value)
                if model is None:
                    return None
                found = Source(DJANGO, *model)
                manager = "objects" if receiver.attr == "_default_manager" else receiver.attr
                if eager_manager(self._facts, model[0], model[1], manager):
                    # a custom manager or queryset class that selects or prefetches: its
                    # querysets may load any relation
                    found.selected.add(EVERYTHING)
                    found.prefetched.add(EVERYTHING)
                return found if self._loaders(found, method, node) else None
            if isinstance(receiver, ast.Attribute) and receiver.attr == s.query:
                model = self._model(receiver.value)
                if model is None or self._relations(model[0], model[1], SQLALCHEMY) is None:
                    return None  # `X.query` of a class the project shows no relationship() of
                found = Source(SQLALCHEMY, *model)
                return found if method in s.chain and self._loaders(found, method, node) else None
            inner = self._source(receiver, seen, depth + 1)
            if inner is None:
                return None
            chain = d.chain if inner.orm == DJANGO else s.chain
            if method not in chain:
                return None
            return inner if self._loaders(inner, method, node) else None
        return None

    def _statement(self, node: ast.AST, seen: dict[str, int], depth: int) -> Source | None:
        """A 2.0-style `select(Order)...` statement (or a name bound to one)."""
        if depth > 12:
            return None
        if isinstance(node, ast.Name):
            values = self._values(node.id)
            if not values:
                return None
            limit = seen.get(node.id, len(values))
            found: Source | None = None
            for index, value in enumerate(values[:limit]):
                one = self._statement(value, {**seen, node.id: index}, depth + 1) if value is not None else None
                if one is None:
                    return None
                found = one if found is None else self._union(found, one)
            return found
        if not isinstance(node, ast.Call):
            return None
        name = (dotted(node.func) or "").rsplit(".", 1)[-1]
        if name in self._k.sqlalchemy.select and (isinstance(node.func, ast.Name) or (isinstance(node.func, ast.Attribute) and _is_module_like(node.func.value))):
            if len(node.args) != 1 or node.keywords:
                return None
            model = self._model(node.args[0])
            return Source(SQLALCHEMY, *model) if model is not None else None
        if isinstance(node.func, ast.Attribute):
            inner = self._statement(node.func.value, seen, depth + 1)
            if inner is None or node.func.attr not in self._k.sqlalchemy.chain:
                return None
            return inner if self._loaders(inner, node.func.attr, node) else None
        return None

    def _named(self, name: str, seen: dict[str, int], depth: int) -> Source | None:
        values = self._values(name)
        if not values:
            return None
        limit = seen.get(name, len(values))
        if limit == 0:
            return None
        found: Source | None = None
        for index, value in enumerate(values[:limit]):
            one = self._source(value, {**seen, name: index}, depth + 1) if value is not None else None
            if one is None:
                return None
            found = one if found is None else self._union(found, one)
        if found is not None and name in self._prefetched_names[-1]:
            found.prefetched.add(EVERYTHING)
            found.selected.add(EVERYTHING)
        return found

    @staticmethod
    def _union(a: Source, b: Source) -> Source | None:
        if (a.orm, a.model) != (b.orm, b.model):
            return None
        return Source(a.orm, a.model, a.module, a.selected | b.selected, a.prefetched | b.prefetched, a.all_single or b.all_single)

    def _loaders(self, source: Source, method: str, call: ast.Call) -> bool:
        """Adds what `.method(...)` loads eagerly to `source` (a copy is not needed: each
        resolution builds its own); False when the method leaves no model instances."""
        d, s = self._k.django, self._k.sqlalchemy
        if source.orm == DJANGO:
            if method == d.select_related:
                names = _strings(call)
                if names is None:
                    source.selected.add(EVERYTHING)
                elif not names:
                    source.all_single = True
                source.selected.update(n.split("__", 1)[0] for n in names or ())
            elif method == d.prefetch_related:
                for arg in call.args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        source.prefetched.add(arg.value.split("__", 1)[0])
                    elif isinstance(arg, ast.Call) and (dotted(arg.func) or "").rsplit(".", 1)[-1] in d.prefetch_objects and arg.args and isinstance(arg.args[0], ast.Constant) and isinstance(arg.args[0].value, str):
                        source.prefetched.add(arg.args[0].value.split("__", 1)[0])
                    else:
                        source.prefetched.add(EVERYTHING)
            return True
        if method == "options":
            for arg in call.args:
                source.selected.update(self._options(arg))
        return True

    def _options(self, node: ast.AST) -> set[str]:
        """The relation names a loader option names (`joinedload(Order.lines)`,
        `selectinload("lines")`, chained options), or EVERYTHING when it cannot tell."""
        s = self._k.sqlalchemy
        names: set[str] = set()
        while isinstance(node, ast.Call):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else (dotted(func) or "").rsplit(".", 1)[-1]
            if fname not in s.loader_options:
                return {EVERYTHING}
            for arg in node.args:
                if isinstance(arg, ast.Attribute):
                    names.add(arg.attr)
                elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if "*" in arg.value:
                        return {EVERYTHING}
                    names.update(arg.value.split("."))
                elif fname == "Load" and isinstance(arg, (ast.Name, ast.Attribute)):
                    continue
                else:
                    return {EVERYTHING}
            if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call):
                node = func.value
            else:
                break
        else:
            return {EVERYTHING}
        return names

    # -- loops -------------------------------------------------------------------------

    def _loop(self, node: ast.AST, target: ast.AST, iterable: ast.AST, inside: tuple[Pos, Pos], outside: tuple[Pos, Pos] | None) -> None:
        var: str | None = None
        if isinstance(target, ast.Name):
            var = target.id
        elif (
            isinstance(target, ast.Tuple)
            and len(target.elts) == 2
            and isinstance(target.elts[1], ast.Name)
            and isinstance(iterable, ast.Call)
            and isinstance(iterable.func, ast.Name)
            and iterable.func.id == "enumerate"
        ):
            var = target.elts[1].id
        self._per_item_query(node, iterable, inner_loop=True)
        if var is None:
            return
        source = self._source(iterable, {})
        if source is None:
            return
        # a model the project shows no relation of: only queries per row are looked for
        rel = self._relations(source.model, source.module, source.orm) or {}
        line = getattr(node, "lineno", 0)
        self._loops.append(Loop(node, var, source, rel, len(self._frames) - 1, f"`{_short(self._text(iterable))}` (line {line})", inside, outside))

    def visit_For(self, node: ast.For) -> None:
        self._bind(node.target, None)
        if node.body:
            self._loop(node, node.target, node.iter, (_start(node.body[0]), _end(node.body[-1])), None)

    def visit_AsyncFor(self, node: ast.AsyncFor) -> None:
        self._bind(node.target, None)

    def _comprehension(self, node: ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp) -> None:
        first = node.generators[0]
        if first.is_async:
            return
        self._loop(node, first.target, first.iter, (_start(node), _end(node)), (_start(first.target), _end(first.iter)))

    def visit_ListComp(self, node: ast.ListComp) -> None:
        self._comprehension(node)

    def visit_SetComp(self, node: ast.SetComp) -> None:
        self._comprehension(node)

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._comprehension(node)

    def visit_DictComp(self, node: ast.DictComp) -> None:
        self._comprehension(node)

    def leave_For(self, node: ast.For) -> None:
        self._loops = [loop for loop in self._loops if loop.node is not node]

    def leave_ListComp(self, node: ast.ListComp) -> None:
        self._loops = [loop for loop in self._loops if loop.node is not node]

    def leave_SetComp(self, node: ast.SetComp) -> None:
        self._loops = [loop for loop in self._loops if loop.node is not node]

    def leave_GeneratorExp(self, node: ast.GeneratorExp) -> None:
        self._loops = [loop for loop in self._loops if loop.node is not node]

    def leave_DictComp(self, node: ast.DictComp) -> None:
        self._loops = [loop for loop in self._loops if loop.node is not node]

    def _active(self, node: ast.AST) -> list[Loop]:
        depth = len(self._frames) - 1
        return [
            loop
            for loop in self._loops
            if loop.frame == depth and _within(node, loop.inside) and (loop.outside is None or not _within(node, loop.outside))
        ]

    # -- reads and queries -------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        name = dotted(node.func) or ""
        if name.rsplit(".", 1)[-1] in self._k.django.prefetch_functions and node.args and isinstance(node.args[0], ast.Name):
            self._prefetched_names[-1].add(node.args[0].id)
        if self._loops:
            self._per_item_query(node, node, inner_loop=False)

    def _per_item_query(self, where: ast.AST, node: ast.AST, inner_loop: bool) -> None:
        """A query that uses an active loop's variable: run once per row."""
        if not self._loops:
            return
        loops = self._active(where if not inner_loop else node)
        if not loops:
            return
        kind = self._query_call(node, inner_loop)
        if kind is None:
            return
        for loop in loops:
            if not _uses(node, loop.var):
                continue
            key = f"query:{_start(node)}"
            if key in loop.reported:
                continue
            loop.reported.add(key)
            orm = kind
            if orm == DJANGO:
                fix = (
                    f"fetch them in one query before the loop (`.filter(<field>__in=...)`, `in_bulk()`) "
                    f"or with the loop's queryset (`select_related`, `prefetch_related`, `annotate`)"
                )
            else:
                fix = (
                    "fetch them in one query before the loop (`.where(<column>.in_(...))`) or with the "
                    "loop's query (`joinedload` / `selectinload`, a join)"
                )
            if loop.serializer:
                self.report(
                    node,
                    f"`{_short(self._text(node))}` in {loop.shown} runs a query for each {loop.source.model} serialized: "
                    f"is this serializer used on lists (`many=True`, a list view)? Then it is one query per row; "
                    f"annotate the value on the view's queryset (or prefetch it) and read it here",
                    confidence=Confidence.LOW,
                )
                return
            self.report(
                node,
                f"`{_short(self._text(node))}` runs a query for each row of {loop.shown}, one per `{loop.var}`: {fix}"
                + (_ONE_OFF_QUESTION if self._one_off else ""),
                confidence=Confidence.LOW if self._one_off else Confidence.HIGH,
            )
            return

    def _query_call(self, node: ast.AST, inner_loop: bool) -> str | None:
        """DJANGO / SQLALCHEMY when `node` runs a query at once (or, for a loop's iterable,
        when iterated): `Model.objects.get(...)`, `....filter(...).count()`,
        `session.query(M)...first()`, `session.scalars(select(...))`."""
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            return None
        d, s = self._k.django, self._k.sqlalchemy
        method = node.func.attr
        if not inner_loop:
            if method in s.results and node.args and self._is_select(node.args[0]):
                return SQLALCHEMY
            if method not in d.evaluating and method not in s.evaluating:
                return None
        # down the chain to its entry
        current: ast.AST = node.func.value
        while True:
            if isinstance(current, ast.Attribute) and current.attr in d.managers:
                if (method in d.evaluating or (inner_loop and method in d.chain)) and self._model(current.value) is not None:
                    return DJANGO
                return None
            if isinstance(current, ast.Call) and isinstance(current.func, ast.Attribute):
                if current.func.attr == s.query and current.args and (method in s.evaluating or inner_loop):
                    return SQLALCHEMY
                current = current.func.value
                continue
            if isinstance(current, ast.Subscript):
                current = current.value
                continue
            return None

    def _is_select(self, node: ast.AST) -> bool:
        while isinstance(node, ast.Call):
            name = (dotted(node.func) or "").rsplit(".", 1)[-1]
            if name in self._k.sqlalchemy.select:
                return True
            if not isinstance(node.func, ast.Attribute):
                return False
            node = node.func.value
        return False

    def visit_Name(self, node: ast.Name) -> None:
        """The loop variable bound again in the body (`order = order.parent`): no longer a row."""
        if self._loops and not isinstance(node.ctx, ast.Load):
            drop = [loop for loop in self._active(node) if loop.var == node.id]
            if drop:
                gone = {id(loop) for loop in drop}
                self._loops = [loop for loop in self._loops if id(loop) not in gone]

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if not self._loops or not isinstance(node.value, ast.Name):
            return
        var = node.value.id
        if not isinstance(node.ctx, ast.Load):
            # `thread.starting_email = ...`: later reads in the loop get the object assigned
            for loop in self._active(node):
                if loop.var == var:
                    loop.reported.add(node.attr)
            return
        for loop in self._active(node):
            if loop.var != var or node.attr not in loop.rel or node.attr in loop.reported:
                continue
            message = self._read(loop, node)
            if message is not None:
                loop.reported.add(node.attr)
                if self._one_off and not loop.serializer:
                    message += _ONE_OFF_QUESTION
                self.report(node, message, confidence=Confidence.LOW if loop.serializer or self._one_off else Confidence.HIGH)
            return

    def _read(self, loop: Loop, node: ast.Attribute) -> str | None:
        message = self._read_in_loop(loop, node)
        if message is None or not loop.serializer:
            return message
        kind = loop.rel[node.attr]
        loader = "prefetch_related" if kind == MANY else "select_related"
        read = message.split(" in the loop", 1)[0]
        return (
            f"{read} in {loop.shown} runs a query for each {loop.source.model} serialized: is this serializer "
            f"used on lists (`many=True`, a list view)? Then it is one query per row unless every queryset it "
            f"serializes does `.{loader}(\"{node.attr}\")`"
        )

    def _read_in_loop(self, loop: Loop, node: ast.Attribute) -> str | None:
        kind = loop.rel[node.attr]
        source, attr, var = loop.source, node.attr, loop.var
        model = source.model
        read = f"`{var}.{attr}`"
        if kind.startswith(SA):
            lazy = kind[len(SA):]
            if lazy != "select" and lazy not in ("True",):
                return None
            if attr in source.selected or EVERYTHING in source.selected:
                return None
            fix = self._k.sqlalchemy.fix.format(model=model, attr=attr)
            return (
                f"{read} in the loop over {loop.shown} lazy-loads `{model}.{attr}` (a `relationship()` with the "
                f"default `lazy=\"select\"`) with one query per `{var}`: {fix}"
            )
        if kind in (SINGLE, ONE):
            if source.all_single or attr in source.selected or EVERYTHING in source.selected:
                return None
            if attr in source.prefetched or EVERYTHING in source.prefetched:
                return None
            hint = f" (or read `{var}.{attr}_id` if the key is enough)" if kind == SINGLE else ""
            what = "a ForeignKey / OneToOneField" if kind == SINGLE else "the reverse side of a OneToOneField"
            return (
                f"{read} in the loop over {loop.shown} loads `{model}.{attr}` ({what}) with one query per "
                f"`{var}`: add `.select_related(\"{attr}\")` to the queryset{hint}"
            )
        if kind == MANY:
            path = self.ctx.ast_tracker.path
            parent = path[-2] if len(path) >= 2 else None
            call = path[-3] if len(path) >= 3 else None
            if not (isinstance(parent, ast.Attribute) and parent.value is node and isinstance(call, ast.Call) and call.func is parent):
                return None
            method = parent.attr
            d = self._k.django
            if method not in d.manager_queries:
                return None
            if EVERYTHING in source.prefetched:
                return None
            if attr in source.prefetched:
                if method in d.prefetch_answers:
                    return None
                return (
                    f"`{var}.{attr}.{method}()` in the loop over {loop.shown} runs one query per `{var}` although "
                    f"`{attr}` is prefetched: a prefetch answers `.all()` and `.count()`, not `.{method}()`; "
                    f"prefetch the rows wanted (`Prefetch(\"{attr}\", queryset=..., to_attr=...)`) or annotate the value"
                )
            return (
                f"`{var}.{attr}.{method}()` in the loop over {loop.shown} runs one query per `{var}` "
                f"(`{model}.{attr}` is a many-to-many or reverse relation): add `.prefetch_related(\"{attr}\")` "
                f"to the queryset" + (" (or `annotate(Count(...))` for a count)" if method in ("count", "exists") else "")
            )
        return None


def _is_module_like(node: ast.AST) -> bool:
    """`sa.select`, `db.select`, `sqlalchemy.select`: a module or an extension object, not
    a query (`query.select(...)` is not SQLAlchemy's select)."""
    return isinstance(node, ast.Name)
