"""Facts for the mass-assignment rule (BL841): the project's models and their fields, and
where serializers and model forms are written through.

A DRF `ModelSerializer` with `fields = "__all__"` lives in `serializers.py`, its model in
`models.py`, the viewset that writes through it in `views.py`: the finding goes on the
serializer, and needs the other two. Each file contributes

- `models`: {class: [{"module", "fields": {field: "rw" | "ro"}}]} for its top-level classes
  whose body declares columns (`models.CharField(...)`, `Column(...)`, `mapped_column(...)`,
  `x: Mapped[...]`); "ro" when the field is not editable (`editable=False`, `auto_now`,
  `primary_key=True`);
- `uses`: {serializer or form class: [use, ...]}: where a class is written through. A use is
  a view class naming it (`serializer_class = X`, `form_class = X`: kind "attr"; named in
  `get_serializer_class()` or a class-level mapping: kind "maybe") with the view's qualified
  bases, its methods and `http_method_names`, or a function that builds it from submitted
  data (`X(data=request.data)`, `X(request.POST, instance=obj)`: kind "call") and saves it;
  each with the fields its `serializer.save(field=...)` calls set server-side, per write
  (create, update).
"""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.facts.web import dotted, module_parts, resolve
from backlint.source import ParsedFile, walk

TRIGGER = re.compile(
    rb"Field\(|Column\(|mapped_column|Mapped\[|ForeignKey|serializer_class|form_class|get_serializer|get_form_class|"
    rb"data\s*=|\(\s*request\.(?:POST|data)"
)
_CAMEL = re.compile(r"^[A-Z]\w*$")
_HOOKS = {"perform_create": ("create",), "perform_update": ("update",)}


def _knowledge() -> Any:
    from backlint.knowledge.massassign import knowledge

    return knowledge()


def _last(node: ast.AST) -> str:
    name = dotted(node) or ""
    return name.rsplit(".", 1)[-1]


def _qualified(node: ast.AST, imports: dict[str, str], path: str) -> str:
    name = dotted(node) or ""
    if not name:
        return ""
    head = name.split(".")[0]
    if head in imports:
        return resolve(name, imports, path) if path else imports[head] + name[len(head):]
    return name


def _readonly(call: ast.Call, keywords: frozenset[str]) -> bool:
    for kw in call.keywords:
        if kw.arg in keywords and kw.arg is not None:
            value = kw.value
            if kw.arg == "editable":
                if isinstance(value, ast.Constant) and value.value is False:
                    return True
            elif kw.arg == "server_default":
                continue  # a default the client may still override
            elif not (isinstance(value, ast.Constant) and value.value in (False, None)):
                return True
    return False


def model_fields(cls: ast.ClassDef, imports: dict[str, str], path: str) -> dict[str, str]:
    """{field: "rw" | "ro"} for the columns a class body declares."""
    k = _knowledge()
    fields: dict[str, str] = {}
    for stmt in cls.body:
        target: ast.AST | None = None
        value: ast.AST | None = None
        annotation: ast.AST | None = None
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            target, value = stmt.targets[0], stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            target, value, annotation = stmt.target, stmt.value, stmt.annotation
        if not isinstance(target, ast.Name):
            continue
        if isinstance(value, ast.Call):
            raw = dotted(value.func) or ""
            if raw and (k.field_calls.match(raw) or k.field_calls.match(_qualified(value.func, imports, path))):
                fields[target.id] = "ro" if _readonly(value, k.readonly_keywords) else "rw"
                continue
        if annotation is not None:
            outer = annotation.value if isinstance(annotation, ast.Subscript) else None
            if outer is not None and _last(outer) == "Mapped":
                fields[target.id] = "ro" if isinstance(value, ast.Call) and _readonly(value, k.readonly_keywords) else "rw"
    return fields


def saved_fields(fn: ast.AST) -> tuple[bool, list[str]]:
    """Does `fn` save a serializer or form (`.save(...)`), and which fields does it set
    server-side: `serializer.save(owner=...)`, `form.instance.user = ...` (in `form_valid`),
    `obj = form.save(commit=False); obj.owner = ...`?"""
    saves = False
    fields: list[str] = []
    unsaved: set[str] = set()  # locals holding `form.save(commit=False)`
    attributes: list[tuple[str, str]] = []  # (owner, field) of `owner.field = ...`
    for sub in walk(fn):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "save":
            saves = True
            for kw in sub.keywords:
                if kw.arg and kw.arg != "commit" and kw.arg not in fields:
                    fields.append(kw.arg)
        elif isinstance(sub, ast.Assign):
            value = sub.value
            for target in sub.targets:
                if isinstance(target, ast.Attribute):
                    owner = target.value
                    if isinstance(owner, ast.Attribute) and owner.attr == "instance":
                        attributes.append(("", target.attr))  # form.instance.user = ...
                    elif isinstance(owner, ast.Name):
                        attributes.append((owner.id, target.attr))
                elif (
                    isinstance(target, ast.Name)
                    and isinstance(value, ast.Call)
                    and isinstance(value.func, ast.Attribute)
                    and value.func.attr == "save"
                    and any(kw.arg == "commit" for kw in value.keywords)
                ):
                    unsaved.add(target.id)
    for holder, field in attributes:
        if (not holder or holder in unsaved) and field not in fields:
            fields.append(field)
    return saves, fields


_SUBMITTED = re.compile(r"\.(POST|data|FILES|form|json|GET)\b|\bdata\b")


def _built_from_data(call: ast.Call, src: ParsedFile) -> str | None:
    """`X(data=...)` -> "create", `X(obj, data=...)` / `X(..., instance=obj)` -> "update";
    a form bound to submitted data (`XForm(request.POST)`) too; None otherwise."""
    has_data = any(kw.arg == "data" for kw in call.keywords)
    if not has_data and call.args and not isinstance(call.args[0], ast.Starred):
        has_data = _SUBMITTED.search(src.segment(call.args[0])) is not None
        if has_data and len(call.args) > 1:
            return "update"
    if not has_data:
        return None
    if any(kw.arg == "instance" or (kw.arg == "partial" and isinstance(kw.value, ast.Constant) and kw.value.value) for kw in call.keywords):
        return "update"
    if any(kw.arg == "data" for kw in call.keywords) and call.args:
        return "update"
    return "create"


def _calls(fn: ast.AST, src: ParsedFile) -> list[tuple[str, str, int]]:
    """(class name, write, line) of the serializers and forms built from submitted data in `fn`."""
    found = []
    for sub in walk(fn):
        if isinstance(sub, ast.Call):
            name = _last(sub.func)
            if name and _CAMEL.match(name):
                write = _built_from_data(sub, src)
                if write is not None:
                    found.append((name, write, sub.lineno))
    return found


def _names_in(node: ast.AST) -> list[str]:
    """CamelCase names (or attributes) read in `node`: the classes a method may return."""
    found: list[str] = []
    for sub in walk(node):
        name = sub.id if isinstance(sub, ast.Name) else sub.attr if isinstance(sub, ast.Attribute) else None
        if name and _CAMEL.match(name) and name not in found:
            found.append(name)
    return found


def _literal_list(node: ast.AST) -> list[str] | None:
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
    return None


def _guards(node: ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef, src: ParsedFile) -> list[str]:
    """Who may reach a view, as written: its decorators, and for a class its bases and its
    `permission_classes` (the rule looks for staff-only ones among them)."""
    found = [src.segment(d)[:120] for d in node.decorator_list]
    if isinstance(node, ast.ClassDef):
        found += [dotted(b) or "" for b in node.bases]
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "permission_classes" for t in stmt.targets):
                found.append(src.segment(stmt.value)[:200])
    return [g for g in found if g]


def _view(cls: ast.ClassDef, src: ParsedFile, imports: dict[str, str], module: str, add: Any) -> None:
    k = _knowledge()
    refs: dict[str, str] = {}
    methods: list[str] = []
    http: list[str] | None = None
    saves: dict[str, list[str]] = {"create": [], "update": []}
    calls: list[tuple[str, str, int, list[str], bool, list[str]]] = []
    for stmt in cls.body:
        if isinstance(stmt, (ast.Assign, ast.AnnAssign)):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            for target in targets:
                if not isinstance(target, ast.Name) or stmt.value is None:
                    continue
                if target.id in k.serializer_attrs or target.id in k.form_attrs:
                    name = _last(stmt.value)
                    if name and _CAMEL.match(name):
                        refs[name] = "attr"
                elif target.id == "http_method_names":
                    http = _literal_list(stmt.value)
                elif isinstance(stmt.value, ast.Dict) and re.search(r"(?i)serializer|form", target.id):
                    for value in stmt.value.values:  # serializer_classes = {"create": XCreateSerializer, ...}
                        name = _last(value)
                        if name and _CAMEL.match(name):
                            refs.setdefault(name, "maybe")
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            methods.append(stmt.name)
            if stmt.name in k.serializer_methods or stmt.name in k.form_methods:
                for name in _names_in(stmt):
                    if name not in refs and (name.endswith(("Serializer", "Form"))):
                        refs[name] = "maybe"
            text = src.segment(stmt)
            if ".save(" not in text and ".instance." not in text:
                continue  # saves nothing and sets nothing server-side: no walk
            saved, fields = saved_fields(stmt)
            for write in _HOOKS.get(stmt.name, ("create", "update")) if saved or stmt.name == "form_valid" else ():
                for field in fields:
                    if field not in saves[write]:
                        saves[write].append(field)
            if saved:
                for name, write, line in _calls(stmt, src):
                    calls.append((name, write, line, fields, saved, _guards(stmt, src)))
    if not refs and not calls:
        return
    bases = [_qualified(b, imports, src.path) for b in cls.bases if dotted(b)]
    guards = _guards(cls, src)
    for name, kind in refs.items():
        add(name, {"kind": kind, "view": cls.name, "module": module, "line": cls.lineno, "bases": bases,
                   "methods": methods, "http": http, "saves": saves, "guards": guards})
    for name, write, line, fields, saved, own in calls:
        if saved and name not in refs:
            add(name, {"kind": "call", "view": cls.name, "module": module, "line": line, "write": write,
                       "saves": {write: fields}, "guards": guards + own})


def collect(src: ParsedFile) -> dict[str, Any] | None:
    imports = src.imports()
    module = ".".join(module_parts(src.path)) if src.path else ""
    models: dict[str, list[dict[str, Any]]] = {}
    uses: dict[str, list[dict[str, Any]]] = {}

    def add(name: str, use: dict[str, Any]) -> None:
        uses.setdefault(name, []).append(use)

    for stmt in src.tree.body:
        if isinstance(stmt, ast.ClassDef):
            fields = model_fields(stmt, imports, src.path)
            if fields:
                models.setdefault(stmt.name, []).append({"module": module, "fields": fields})
            _view(stmt, src, imports, module, add)
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            if ".save(" not in src.segment(stmt):
                continue
            saved, set_fields = saved_fields(stmt)
            if not saved:
                continue
            for name, write, line in _calls(stmt, src):
                add(name, {"kind": "call", "view": stmt.name, "module": module, "line": line, "write": write,
                           "saves": {write: set_fields}, "guards": _guards(stmt, src)})
    found: dict[str, Any] = {}
    if models:
        found["models"] = models
    if uses:
        found["uses"] = uses
    return found or None


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    models: dict[str, list[dict[str, Any]]] = {}
    uses: dict[str, list[dict[str, Any]]] = {}
    for part in parts:
        if not isinstance(part, dict):
            continue
        for name, entries in part.get("models", {}).items():
            models.setdefault(name, []).extend(entries)
        for name, entries in part.get("uses", {}).items():
            uses.setdefault(name, []).extend(entries)
    return {"models": models, "uses": uses}
