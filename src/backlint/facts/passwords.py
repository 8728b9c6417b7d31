"""Password facts: which functions of the project hash a password, what is assigned to
password-like fields anywhere, and which classes are (hashed) user models.

One file contributes:
- `helpers`: {function name: [callees whose result it returns]} (`def hash_password(p):
  return pwd_context.hash(p)` -> {"hash_password": ["pwd_context.hash"]});
- `fields`: {field: [callees whose result is stored in it]}, for fields named like a
  password or a token, from attribute assignments, keywords, dict keys and SQL
  INSERT/UPDATE parameters (`user.password = generate_password_hash(p)` ->
  {"password": ["werkzeug.security.generate_password_hash"]});
- `classes`: {class name: [base names]} for classes with a base, so the rules can tell a
  model from a schema and know which classes extend Django's `AbstractBaseUser`;
- `creators`: {"Class.create": [hash-like callees in its body]} for a class's own
  constructors-by-method (`create`, `create_user`, `register`...): a password handed to
  one goes through project code, which may hash it;
- `save_hooks`: {model expression: [hash-like callees of the handler]} for save hooks
  (Django `pre_save`, tortoise `pre_save`, SQLAlchemy `before_insert`/`before_update`)
  whose handler is in the file: a model hashed on save.

Whether a callee hashes is decided by the rules (built-in list + `password-hashers`), so a
configured hasher applies to facts gathered before the configuration changed.
"""
from __future__ import annotations

import ast
import re
from typing import Any

from backlint.source import ParsedFile, walk

# password words, hashing libraries and helpers (not bare `hash`/`token`: `__hash__` and
# `tokenize` would make most files of a project parse for nothing)
TRIGGER = re.compile(
    rb"passw|pwd|crypt|argon2|pbkdf2|scrypt|pwdlib|passlib|abstractbaseuser|abstractuser|api_?key|"
    rb"_token|token_|hashlib|hmac\b|_hash\b|hash_[a-z]|digest\("
)
# matched against the lower-cased text: (?i) would disable the regex engine's literal scan
LOWER_CASE_TRIGGER = True


def _dotted(node: ast.AST, imports: dict[str, str]) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Call):  # PasswordHasher().hash -> PasswordHasher.hash
        inner = _dotted(node.func, imports)
        if inner is None:
            return None
        return ".".join([inner, *reversed(parts)])
    if not isinstance(node, ast.Name):
        return None
    head = imports.get(node.id, node.id)
    return ".".join([head, *reversed(parts)])


def _callees(expr: ast.AST | None, local: dict[str, list[str]], imports: dict[str, str]) -> list[str]:
    """The calls whose result `expr` is built from (through local variables)."""
    if expr is None:
        return []
    found: list[str] = []
    for node in walk(expr):
        if isinstance(node, ast.Call):
            name = _dotted(node.func, imports)
            if name:
                found.append(name)
        elif isinstance(node, ast.Name) and node.id in local:
            found.extend(local[node.id])
    return found


def _top_callees(expr: ast.AST | None, local: dict[str, list[str]], top: dict[str, list[str]], imports: dict[str, str]) -> list[str]:
    """The calls whose result *is* `expr` (`hashpw(...).decode()` -> both), through locals:
    what a helper returns, not everything it computed on the way."""
    found: list[str] = []
    while isinstance(expr, ast.Call):
        name = _dotted(expr.func, imports)
        if name:
            found.append(name)
        func = expr.func
        expr = func.value if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Call) else None
    if isinstance(expr, ast.Name) and expr.id in top:
        found.extend(top[expr.id])
    if isinstance(expr, ast.Await):
        found.extend(_top_callees(expr.value, local, top, imports))
    return found


def _string(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def collect(src: ParsedFile) -> dict[str, Any] | None:
    # imported here: a warm run merges cached facts and must not load rule packages
    from backlint.knowledge.passwords import is_password_field, is_token_field

    tree, path = src.tree, src.path
    imports = src.imports(relative=False)
    helpers: dict[str, list[str]] = {}
    fields: dict[str, list[str]] = {}
    classes: dict[str, list[str]] = {}
    setters: dict[str, list[str]] = {}
    descriptors: dict[str, list[str]] = {}
    class_attrs: dict[str, str] = {}
    class_modules: dict[str, list[str]] = {}
    hashed_args: dict[str, list[str]] = {}
    keys: dict[str, list[str]] = {}
    class_fields: dict[str, list[str]] = {}
    creators: dict[str, list[str]] = {}
    owner_of: dict[int, str] = {}  # id(method) -> class name

    def add_key(name: str, callees: list[str]) -> None:
        if callees and is_password_field(name):
            bucket = keys.setdefault(name.lower(), [])
            bucket.extend(c for c in callees if c not in bucket)

    def add_field(name: str, callees: list[str], cls: str | None = None) -> None:
        """Under `Class.field` when the class is known (`User(password=...)`, `self.password`
        in `class User`, `user.password` with `user = User(...)`), else under the name."""
        if callees and (is_password_field(name) or is_token_field(name)):
            key = name.lower().lstrip("_")
            bucket = (class_fields.setdefault(f"{cls}.{key}", []) if cls else fields.setdefault(key, []))
            bucket.extend(c for c in callees if c not in bucket)

    scopes: list[ast.AST] = [tree]
    module = _module_path(path)
    for node in src.of_type(ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(node, ast.ClassDef):
            for stmt in node.body:
                if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    owner_of[id(stmt)] = node.name
                    if stmt.name in _CREATORS:
                        creators[f"{node.name}.{stmt.name}"] = _hashish_calls(stmt, imports)
            if node.bases:
                classes[node.name] = [b for b in (_dotted(base, {}) for base in node.bases) if b]
            if module:
                class_modules.setdefault(node.name, []).append(module)
            _class_setters(node, imports, setters, descriptors, class_attrs)

        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            scopes.append(node)

    for scope in scopes:
        body = scope.body if isinstance(scope, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef)) else []
        local: dict[str, list[str]] = {}
        instance_of: dict[str, str] = {"self": owner_of[id(scope)]} if id(scope) in owner_of else {}
        top: dict[str, list[str]] = {}
        returned: list[str] = []
        stack: list[ast.stmt] = list(reversed(body))
        ordered: list[ast.stmt] = []
        while stack:  # this scope's statements in source order, not nested functions or classes
            current = stack.pop()
            if isinstance(current, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
                continue
            ordered.append(current)
            stack.extend(reversed([c for c in ast.iter_child_nodes(current) if isinstance(c, ast.stmt)]))
        for stmt in ordered:
            if isinstance(stmt, (ast.Assign, ast.AnnAssign)) and stmt.value is not None:
                targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
                callees = _callees(stmt.value, local, imports)
                for target in targets:
                    if isinstance(target, ast.Name):
                        local[target.id] = callees
                        top[target.id] = _top_callees(stmt.value, local, top, imports)
                        made = _model_of(stmt.value)
                        if made:
                            instance_of[target.id] = made
                        else:
                            instance_of.pop(target.id, None)
                    elif isinstance(target, ast.Attribute):
                        owner = instance_of.get(target.value.id) if isinstance(target.value, ast.Name) else None
                        add_field(target.attr, callees, owner)
                    elif isinstance(target, ast.Subscript) and _string(target.slice):
                        add_field(_string(target.slice) or "", callees)
                        add_key(_string(target.slice) or "", callees)
            elif isinstance(stmt, ast.Return) and stmt.value is not None:
                value = stmt.value.value if isinstance(stmt.value, ast.Await) else stmt.value
                if isinstance(value, ast.Name):
                    returned.extend(top.get(value.id, []))
                else:
                    returned.extend(_top_callees(value, local, top, imports))
            compound = isinstance(stmt, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try))
            heads = [c for c in ast.iter_child_nodes(stmt) if not isinstance(c, ast.stmt)] if compound else [stmt]
            for node in (n for head in heads for n in walk(head)):
                if isinstance(node, ast.Call):
                    _hashed_args(node, local, imports, hashed_args)
                if compound:
                    continue
                if isinstance(node, ast.Call):
                    made = _model_of(node)
                    for kw in node.keywords:
                        if kw.arg:
                            add_field(kw.arg, _callees(kw.value, local, imports), made)
                    if node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                        _sql_fields(node, local, imports, add_field)
                elif isinstance(node, ast.Dict):
                    for key, value in zip(node.keys, node.values):
                        if key is not None and _string(key):
                            add_field(_string(key) or "", _callees(value, local, imports))
                            add_key(_string(key) or "", _callees(value, local, imports))
        if isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef)) and returned:
            helpers[scope.name] = sorted(set(returned))
    for setter, callees in setters.items():  # the column behind a hashing setter is fed by it
        add_field(setter.rsplit(".", 1)[-1], callees, setter.rsplit(".", 1)[0])
    save_hooks = _save_hooks(src, imports)
    if not (helpers or fields or classes or class_modules or class_fields or creators or save_hooks):
        return None
    return {
        "helpers": helpers,
        "fields": fields,
        "classes": classes,
        "setters": setters,
        "descriptors": descriptors,
        "class_attrs": class_attrs,
        "class_modules": class_modules,
        "hashed_args": hashed_args,
        "keys": keys,
        "class_fields": class_fields,
        "creators": creators,
        "save_hooks": save_hooks,
    }


# methods that build an object from what they are given (a password among it)
_CREATORS = frozenset({"create", "acreate", "create_user", "create_account", "create_superuser", "register", "new", "from_form"})
_HOOKS = ("pre_save", "before_insert", "before_update")


def _hashish_calls(fn: ast.AST, imports: dict[str, str]) -> list[str]:
    """The hash-like calls in a function's body (`set_password`, `bcrypt.hashpw`, ...)."""
    found = []
    for sub in walk(fn):
        if isinstance(sub, ast.Call):
            name = _dotted(sub.func, imports) or ""
            if name and _SECRETISH.search(name.rsplit(".", 1)[-1]) and name not in found:
                found.append(name)
    return sorted(found)


def _save_hooks(src: ParsedFile, imports: dict[str, str]) -> dict[str, list[str]]:
    """{model: hash-like calls of its save hook's handler} for hooks registered in the file:
    `pre_save.connect(h, sender=M)`, `@receiver(pre_save, sender=M)`, tortoise
    `pre_save(M)(h)` / `@pre_save(M)`, SQLAlchemy `event.listen(M, "before_insert", h)` /
    `@event.listens_for(M, "before_update")`. The handler must be a function or a method
    of this file."""
    if not any(hook.encode() in src.data for hook in _HOOKS):
        return {}
    functions: dict[str, ast.AST] = {}
    for node in src.of_type(ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            functions.setdefault(node.name, node)
    hooks: dict[str, list[str]] = {}

    def add(model: ast.AST | None, handler: ast.AST | None) -> None:
        if model is None or handler is None:
            return
        if isinstance(handler, (ast.Name, ast.Attribute)):
            handler = functions.get(handler.id if isinstance(handler, ast.Name) else handler.attr)
        if not isinstance(handler, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return
        calls = _hashish_calls(handler, imports)
        if calls:
            key = ast.unparse(model)
            hooks[key] = sorted(set(hooks.get(key, [])) | set(calls))

    def hook_name(node: ast.AST) -> str:
        name = _dotted(node, imports) or ""
        return name.rsplit(".", 1)[-1]

    for node in src.of_type(ast.Call, ast.FunctionDef, ast.AsyncFunctionDef):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for deco in node.decorator_list:
                if not isinstance(deco, ast.Call):
                    continue
                last = hook_name(deco.func)
                sender = next((k.value for k in deco.keywords if k.arg == "sender"), None)
                if last == "receiver" and deco.args and hook_name(deco.args[0]) == "pre_save":
                    add(sender, node)
                elif last == "pre_save" and deco.args:
                    add(deco.args[0], node)
                elif last == "listens_for" and len(deco.args) >= 2 and isinstance(deco.args[1], ast.Constant) and str(deco.args[1].value) in _HOOKS:
                    add(deco.args[0], node)
            continue
        if not isinstance(node, ast.Call):
            continue
        last = hook_name(node.func)
        if last == "connect" and isinstance(node.func, ast.Attribute) and hook_name(node.func.value) == "pre_save" and node.args:
            add(next((k.value for k in node.keywords if k.arg == "sender"), None), node.args[0])
        elif last == "listen" and len(node.args) >= 3 and isinstance(node.args[1], ast.Constant) and str(node.args[1].value) in _HOOKS:
            add(node.args[0], node.args[2])
        elif isinstance(node.func, ast.Call) and hook_name(node.func.func) == "pre_save" and node.func.args and node.args:
            add(node.func.args[0], node.args[0])  # tortoise: signals.pre_save(Model)(handler)
    return hooks


_MODEL_METHODS = {"create", "acreate", "get", "get_or_none", "get_or_create", "update_or_create", "first", "one", "select"}


def _model_of(expr: ast.AST) -> str | None:
    """`User(...)`, `User.objects.create(...)`, `User.query.filter_by(...).first()`,
    `get_object_or_404(User, ...)`: the class whose instance `expr` is, when visible."""
    if isinstance(expr, ast.Await):
        expr = expr.value
    if not isinstance(expr, ast.Call):
        return None
    node: ast.AST = expr
    attrs: list[str] = []
    while isinstance(node, (ast.Call, ast.Attribute, ast.Subscript)):
        if isinstance(node, ast.Attribute):
            attrs.append(node.attr)
        node = node.func if isinstance(node, ast.Call) else node.value
    if isinstance(node, ast.Name):
        if node.id[:1].isupper() and not node.id.isupper():
            # `User(...)`, `User.objects...`, `User.query...`, `User.create(...)`; not a
            # method of a table-access object (`Auths.insert_new_auth(password=...)`)
            if not attrs or {"objects", "query"} & set(attrs) or attrs[0] in _MODEL_METHODS:
                return node.id
            return None
        if node.id in ("get_object_or_404", "aget_object_or_404") and expr.args and isinstance(expr.args[0], ast.Name):
            return expr.args[0].id
    return None


def _module_path(path: str) -> str:
    """`pkg/models.py` -> `pkg/models`, `pkg/__init__.py` -> `pkg` (matched against the
    tail of an import's module path)."""
    text = path.replace("\\", "/")
    if not text.endswith(".py"):
        return ""
    text = text[:-3]
    return text[: -len("/__init__")] if text.endswith("/__init__") else text


_SECRETISH = re.compile(r"(?i)hash|crypt|digest|passw|pwd")


def _hashed_args(call: ast.Call, local: dict[str, list[str]], imports: dict[str, str], found: dict[str, list[str]]) -> None:
    """`Auths.update_password(uid, get_password_hash(p))` -> {"update_password": ["1:get_password_hash"]}:
    what a function's callers pass, for arguments built (through local variables) by a
    call named like a hasher."""
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else None
    if not name:
        return
    for index, arg in enumerate(call.args):
        for callee in _callees(arg, local, imports):
            if _SECRETISH.search(callee.rsplit(".", 1)[-1]):
                found.setdefault(name, []).append(f"{index}:{callee}")
    for kw in call.keywords:
        if kw.arg:
            for callee in _callees(kw.value, local, imports):
                if _SECRETISH.search(callee.rsplit(".", 1)[-1]):
                    found.setdefault(name, []).append(f"{kw.arg}:{callee}")


def _class_setters(
    node: ast.ClassDef, imports: dict[str, str], setters: dict[str, list[str]], descriptors: dict[str, list[str]], class_attrs: dict[str, str]
) -> None:
    """Hashing setters of one class: `@password.setter`, `password = property(get, set)`,
    `password = db.synonym("_password", descriptor=property(get, set))`, a descriptor
    class whose `__set__` hashes, and password-named class attributes made by a call
    (`password = PasswordProperty("password_hash")`) for the rules to match with those."""
    from backlint.knowledge.passwords import is_password_field

    functions: dict[str, list[str]] = {}
    for stmt in node.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            callees = [c for inner in stmt.body for c in _callees(inner, {}, imports)]
            functions[stmt.name] = callees
            if stmt.name == "__set__" and callees:
                descriptors[node.name] = sorted(set(callees))
            if callees and any(isinstance(d, ast.Attribute) and d.attr == "setter" for d in stmt.decorator_list):
                setters[f"{node.name}.{stmt.name.lower().lstrip('_')}"] = sorted(set(callees))
    for stmt in node.body:
        if not (isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)):
            continue
        field = stmt.targets[0].id
        if not is_password_field(field):
            continue
        key = f"{node.name}.{field.lower().lstrip('_')}"
        for inner in walk(stmt.value):
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in ("property", "hybrid_property"):
                setter = inner.args[1] if len(inner.args) > 1 else next((k.value for k in inner.keywords if k.arg == "fset"), None)
                if isinstance(setter, ast.Name) and functions.get(setter.id):
                    setters[key] = sorted(set(functions[setter.id]))
        if isinstance(stmt.value, ast.Call) and key not in setters:
            callee = _dotted(stmt.value.func, imports)
            if callee:
                class_attrs[key] = callee


def _sql_fields(call: ast.Call, local: dict[str, list[str]], imports: dict[str, str], add_field: Any) -> None:
    from backlint.knowledge.passwords import placeholder_columns

    sql = _string(call.args[0]) or ""
    if len(call.args) < 2 or not re.search(r"(?i)\b(insert|update)\b", sql):
        return
    params = call.args[1]
    for column, where in placeholder_columns(sql):
        value: ast.AST | None = None
        if isinstance(where, int) and isinstance(params, (ast.Tuple, ast.List)) and where < len(params.elts):
            value = params.elts[where]
        elif isinstance(where, str) and isinstance(params, ast.Dict):
            for key, item in zip(params.keys, params.values):
                if key is not None and _string(key) == where:
                    value = item
        if value is not None:
            add_field(column, _callees(value, local, imports))


# name -> sorted list of names: merged as a union over the project's files
_LIST_FACTS = ("helpers", "fields", "classes", "setters", "descriptors", "class_modules", "hashed_args", "keys", "class_fields", "creators", "save_hooks")


def merge(parts: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {key: {} for key in _LIST_FACTS}
    class_attrs: dict[str, str] = {}
    for part in parts:
        for key in _LIST_FACTS:
            bucket = merged[key]
            for name, values in part.get(key, {}).items():
                bucket[name] = sorted(set(bucket.get(name, [])) | set(values))
        class_attrs.update(part.get("class_attrs", {}))
    merged["class_attrs"] = class_attrs
    return merged
