"""Query-in-loop facts (BL941): which attributes of the project's models are relations.

A loop in `views.py` reads `order.customer.name`; whether that is a query per order depends
on `models.py`: `customer = models.ForeignKey(Customer, ...)` makes it one, a plain
`CharField` does not. Each file contributes, for its top-level classes, the relation
attributes they declare:

- Django: `ForeignKey` / `OneToOneField` (one related object, `single`) and
  `ManyToManyField` (a manager, `many`), and the reverse accessors they give the other
  model (`related_name`, else `<model>_set`, or `<model>` for a one-to-one);
- SQLAlchemy: `relationship()` attributes with their `lazy=` strategy (`sa:select` for the
  default lazy load, `sa:joined`, `sa:dynamic`... , `sa:?` when it is not a literal) and
  those a `backref=` gives the other class;

with each class's module and base names, so that a relation declared on an abstract base
reaches its subclasses. Nothing else is kept: the merged facts are part of every file's
cache key.
"""
from __future__ import annotations

import ast
from typing import Any

from backlint.facts.web import dotted, module_parts
from backlint.knowledge.nplusone import facts_trigger, knowledge
from backlint.source import ParsedFile

TRIGGER = facts_trigger()

SINGLE = "single"  # a ForeignKey or OneToOneField: one related object, its key in `<attr>_id`
ONE = "one"  # the reverse side of a OneToOneField: one related object, no key on this row
MANY = "many"  # a ManyToManyField or a reverse accessor: a manager
SA = "sa:"
UNKNOWN_LAZY = "?"


def _last(node: ast.AST | None) -> str:
    return (dotted(node) or "").rsplit(".", 1)[-1]


def _keyword(call: ast.Call, name: str) -> ast.AST | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _target(node: ast.AST | None, owner: str) -> str | None:
    """The class name a relation points at: `Customer`, `"Customer"`, `"shop.Customer"`,
    `"self"`, `settings.AUTH_USER_MODEL` (the user model, `User`)."""
    if node is None:
        return None
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        name = node.value.rsplit(".", 1)[-1]
        if name == "self":
            return owner
        return name if name.isidentifier() else None
    if isinstance(node, ast.Lambda):
        return _target(node.body, owner)
    qualified = dotted(node)
    if qualified is not None:
        last = qualified.rsplit(".", 1)[-1]
        return "User" if last == "AUTH_USER_MODEL" else last
    if isinstance(node, ast.Call) and _last(node.func) == "get_user_model":
        return "User"
    return None


def _lazy(value: ast.AST | None) -> str:
    if value is None:
        return "select"
    if isinstance(value, ast.Constant):
        if value.value is True:
            return "select"
        if isinstance(value.value, str):
            return value.value
        return str(value.value)  # False (joined), None (noload)
    return UNKNOWN_LAZY


def _relation(call: ast.Call, attr: str, owner: str, reverse: list[dict[str, str]]) -> str | None:
    """The kind of the attribute `attr = call` of class `owner`, or None; the reverse
    accessor it gives the other class is appended to `reverse`."""
    k = knowledge()
    name = _last(call.func)
    if name in k.django.single_fields or name in k.django.many_fields:
        many = name in k.django.many_fields
        target = _target(call.args[0] if call.args else _keyword(call, "to"), owner)
        related = _keyword(call, "related_name")
        if target is not None:
            if related is None:
                one_to_one = not many and "OneToOne" in name
                rname: str | None = owner.lower() if one_to_one else owner.lower() + "_set"
                rkind = ONE if one_to_one else MANY
            elif isinstance(related, ast.Constant) and isinstance(related.value, str):
                text = related.value.replace("%(class)s", owner.lower())
                rname = text if text.isidentifier() else None  # "+": no reverse accessor
                rkind = ONE if (not many and "OneToOne" in name) else MANY
            else:
                rname = None
            if rname is not None:
                reverse.append({"target": target, "attr": rname, "kind": rkind})
        return MANY if many else SINGLE
    if name in k.sqlalchemy.relationship:
        target = _target(call.args[0], owner) if call.args else None
        backref = _keyword(call, "backref")
        if target is not None and backref is not None:
            if isinstance(backref, ast.Constant) and isinstance(backref.value, str):
                reverse.append({"target": target, "attr": backref.value, "kind": SA + "select"})
            elif isinstance(backref, ast.Call) and _last(backref.func) == k.sqlalchemy.backref and backref.args:
                first = backref.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    reverse.append({"target": target, "attr": first.value, "kind": SA + _lazy(_keyword(backref, "lazy"))})
        return SA + _lazy(_keyword(call, "lazy"))
    return None


def _manager(value: ast.Call) -> list[str]:
    """The classes a manager assignment names: `OrderManager()`, `OrderQuerySet.as_manager()`,
    `OrderManager.from_queryset(OrderQuerySet)()`."""
    factories = knowledge().django.manager_factories
    func = value.func
    if isinstance(func, ast.Call):  # from_queryset(...)()
        inner = func.func
        if isinstance(inner, ast.Attribute) and inner.attr in factories:
            return [n for n in (_last(inner.value), *(_last(a) for a in func.args)) if n]
        return []
    if isinstance(func, ast.Attribute) and func.attr in factories:
        name = _last(func.value)
        return [name] if name else []
    name = _last(func)
    return [name] if name.endswith("Manager") else []


def collect(src: ParsedFile) -> dict[str, Any] | None:
    k = knowledge()
    module = ".".join(module_parts(src.path))
    models: dict[str, list[dict[str, Any]]] = {}
    reverse: list[dict[str, str]] = []
    loaders = (k.django.select_related, k.django.prefetch_related)
    eager_lines = sorted(
        call.lineno for call in src.of_type(ast.Call)
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute) and call.func.attr in loaders
    )
    declares = False
    for stmt in src.tree.body:
        if not isinstance(stmt, ast.ClassDef):
            continue
        rel: dict[str, str] = {}
        managers: dict[str, list[str]] = {}
        for item in stmt.body:
            if isinstance(item, ast.Assign) and len(item.targets) == 1:
                target, value = item.targets[0], item.value
            elif isinstance(item, ast.AnnAssign) and item.value is not None:
                target, value = item.target, item.value
            else:
                continue
            if isinstance(target, ast.Name) and isinstance(value, ast.Call):
                kind = _relation(value, target.id, stmt.name, reverse)
                if kind is not None:
                    rel[target.id] = kind
                    continue
                made = _manager(value)
                if made:
                    managers[target.id] = made
        end = stmt.end_lineno or stmt.lineno
        eager = any(stmt.lineno <= line <= end for line in eager_lines)
        declares = declares or bool(rel)
        bases = [b for b in (_last(base) for base in stmt.bases) if b]
        entry: dict[str, Any] = {"module": module, "bases": bases, "rel": rel}
        if managers:
            entry["managers"] = managers
        if eager:
            entry["eager"] = True
        models.setdefault(stmt.name, []).append(entry)
    if not declares:
        # a module with no relation of its own (views, managers): only the classes that
        # name a manager or load relations eagerly matter to the rest of the project
        models = {name: kept for name, entries in models.items() if (kept := [e for e in entries if "managers" in e or "eager" in e])}
    if not reverse and not models:
        return None
    return {"models": models, "reverse": reverse}


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    """{"models": {class name: [{"module", "bases", "rel": {attr: kind}}, ...]}}: one entry
    per class of that name in the project, reverse accessors added to their targets."""
    models: dict[str, list[dict[str, Any]]] = {}
    for part in parts:
        for name, entries in part.get("models", {}).items():
            models.setdefault(name, []).extend({**e, "rel": dict(e["rel"])} for e in entries)
    for part in parts:
        for rev in part.get("reverse", ()):
            for entry in models.get(rev["target"], ()):
                entry["rel"].setdefault(rev["attr"], rev["kind"])
    return {"models": models}


def _same_module(declared: str, named: str) -> bool:
    """Is a class declared in module `declared` the one code names from module `named`?
    The same module whatever the source roots (`src.shop.models` / `shop.models`), or a
    package that re-exports it (`from shop.models import Order`, declared in
    `shop/models/orders.py`)."""
    if declared == named or declared.endswith("." + named) or named.endswith("." + declared):
        return True
    return declared.startswith(named + ".") or ("." + named + ".") in declared


def relations(facts: dict[str, Any], name: str, module: str | None = None, depth: int = 6) -> dict[str, str] | None:
    """The relation attributes of the project's class `name` (its own, then its bases'),
    or None when the project has no such class or several that disagree. `module`: the
    module the code named it from (its import, or its own module): only the classes of
    that module count. Bases are looked up by name."""
    entries = facts.get("models", {}).get(name)
    if not entries:
        return None
    if module is not None:
        # the class the code imported: none of the project's classes of that name when it
        # comes from elsewhere (a third-party model, a module the facts did not collect)
        entries = [e for e in entries if _same_module(e["module"], module)]
        if not entries:
            return None
    found: list[dict[str, str]] = []
    for entry in entries:
        rel: dict[str, str] = {}
        if depth > 0:
            for base in entry["bases"]:
                if base != name:
                    inherited = relations(facts, base, None, depth - 1)
                    if inherited:
                        rel.update(inherited)
        rel.update(entry["rel"])
        found.append(rel)
    first = found[0]
    if any(other != first for other in found[1:]):
        return None
    return first


def eager_manager(facts: dict[str, Any], name: str, module: str | None, manager: str, depth: int = 6) -> bool:
    """Does the manager `manager` of the project's class `name` (declared on it or a base)
    come from a manager or queryset class that calls select_related / prefetch_related
    (so that its querysets may load relations already)?"""
    entries = facts.get("models", {}).get(name) or []
    if module is not None:
        entries = [e for e in entries if _same_module(e["module"], module)]
    for entry in entries:
        classes = entry.get("managers", {}).get(manager)
        if classes is not None:
            return any(any(e.get("eager") for e in facts.get("models", {}).get(c, ())) for c in classes)
        if depth > 0 and any(eager_manager(facts, base, None, manager, depth - 1) for base in entry["bases"] if base != name):
            return True
    return False
