"""What BL841 asks about a name: is this class a model or a schema, which fields does a
model have (through its project base classes and the frameworks' own models), and which of
them must a client not set."""
from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from backlint.facts.web import dotted, resolve
from backlint.knowledge.massassign import Knowledge, knowledge

_CAMEL = re.compile(r"^[A-Z]\w*$")


def is_class_name(name: str) -> bool:
    return bool(_CAMEL.match(name)) and not name.isupper()


def qualified(node: ast.AST, imports: dict[str, str], path: str) -> str:
    """A Name/Attribute chain through the file's imports (relative imports made absolute)."""
    name = dotted(node) or ""
    if not name:
        return ""
    head = name.split(".")[0]
    if head in imports:
        return resolve(name, imports, path) if path else imports[head] + name[len(head):]
    return name


@dataclass
class ModelInfo:
    """What the project says about a class used like a model."""

    name: str
    kind: str  # "model" | "schema" | "unknown"
    fields: dict[str, str] | None = None  # field -> "rw" / "ro"; None: not known
    why: str = ""  # how it was recognised

    def privileged(self, k: Knowledge | None = None, set_here: frozenset[str] = frozenset()) -> list[str]:
        """The editable fields a client must not set, in declaration order (but those the
        code sets itself, `set_here`)."""
        k = k or knowledge()
        fields = self.fields or {}
        account = any(f in k.account_fields for f in fields)
        principal = any(f in k.principal_fields for f in fields)
        return [f for f, mode in fields.items() if mode == "rw" and k.privileged(f, account, principal) and f not in set_here]


@dataclass
class Models:
    """Model lookups for one file, over the project's facts (class index and the
    mass-assignment family)."""

    project: Any
    imports: dict[str, str]
    path: str
    family: dict[str, Any]
    _cache: dict[str, ModelInfo] = field(default_factory=dict)

    def _framework(self, qual: str) -> tuple[str, ...] | None:
        k = knowledge()
        if qual in k.framework_models:
            return k.framework_models[qual]
        if qual.startswith("django.contrib.auth."):
            last = qual.rsplit(".", 1)[-1]
            for name, fields in k.framework_models.items():
                if name.rsplit(".", 1)[-1] == last:
                    return fields
        return None

    def _own_fields(self, name: str, module_hint: str = "") -> dict[str, str] | None:
        entries = self.family.get("models", {}).get(name) or []
        if not entries:
            return None
        if len(entries) > 1 and module_hint:
            placed = [e for e in entries if e.get("module") and ("." + module_hint + ".").find("." + e["module"] + ".") >= 0]
            if len(placed) == 1:
                return dict(placed[0]["fields"])
        merged: dict[str, str] = {}
        for entry in entries:
            for f, mode in entry["fields"].items():
                merged.setdefault(f, mode)
        return merged

    def lookup(self, node: ast.AST) -> ModelInfo:
        """The class a call or `model = ...` names (`model = get_user_model()` too)."""
        if isinstance(node, ast.Call):
            node = node.func
        qual = qualified(node, self.imports, self.path)
        return self.by_name(qual)

    def by_name(self, qual: str) -> ModelInfo:
        if qual in self._cache:
            return self._cache[qual]
        info = self._classify(qual)
        self._cache[qual] = info
        return info

    def _classify(self, qual: str) -> ModelInfo:
        k = knowledge()
        name = qual.rsplit(".", 1)[-1]
        if qual in ("get_user_model", "django.contrib.auth.get_user_model", "settings.AUTH_USER_MODEL", "django.conf.settings.AUTH_USER_MODEL"):
            user = self._framework("django.contrib.auth.models.User") or ()
            return ModelInfo("User", "model", {f: "rw" for f in user}, "the project's user model")
        framework = self._framework(qual)
        if framework is not None:
            return ModelInfo(name, "model", {f: "rw" for f in framework}, f"`{qual}`")
        classes = getattr(self.project, "classes", {}) or {}
        if classes.get(name):
            ancestry = self.project.ancestors([qual])
            fields: dict[str, str] = {}
            known = False
            for i, member in enumerate(ancestry.chain):
                own = self._own_fields(member, qual if i == 0 else "")
                if own is not None:
                    known = True
                    for f, mode in own.items():
                        fields.setdefault(f, mode)
            schema = [e for e in ancestry.external if k.schema_bases.match(e)]
            orm = [e for e in ancestry.external if k.orm_bases.match(e)]
            for ext in ancestry.external:
                extra = self._framework(ext)
                if extra is not None:
                    known = True
                    for f in extra:
                        fields.setdefault(f, "rw")
            if schema and not orm:
                return ModelInfo(name, "schema", None, f"`{schema[0]}`")
            if orm or known:
                return ModelInfo(name, "model", fields if known else None, f"`{(orm or ancestry.external or [name])[0]}`")
            return ModelInfo(name, "unknown")
        own = self._own_fields(name)
        if own is not None:
            return ModelInfo(name, "model", own, "its columns")
        module = qual.rsplit(".", 1)[0] if "." in qual else ""
        if module and k.model_modules.search(module) and not k.schema_names.search(name):
            return ModelInfo(name, "model", None, f"imported from `{module}`")
        if k.schema_names.search(name) or k.schema_bases.match(qual):
            return ModelInfo(name, "schema")
        return ModelInfo(name, "unknown")


def exposure(info: ModelInfo | None, k: Knowledge, set_here: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """How to say what a client can set, and the privileged fields among it (not those the
    call sets itself: `Note(author_id=user.id, **data)` fails on a second `author_id`)."""
    if info is None or info.fields is None:
        return "any field of the model (an owner, a role, an admin or verified flag, if it has one)", []
    privileged = info.privileged(k, set_here)
    if privileged:
        shown = ", ".join(f"`{f}`" for f in privileged[:5]) + (f" and {len(privileged) - 5} more" if len(privileged) > 5 else "")
        return f"any of its fields, including {shown}", privileged
    editable = [f for f, mode in info.fields.items() if mode == "rw" and f not in set_here]
    if not editable:
        return "any of its fields", []
    shown = ", ".join(f"`{f}`" for f in editable[:4]) + (", ..." if len(editable) > 4 else "")
    return f"any of its fields ({shown}), not only the ones meant for it", []
