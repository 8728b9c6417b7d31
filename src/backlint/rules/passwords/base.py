"""Shared plumbing of the BL101-BL103 rule classes."""
from __future__ import annotations

import ast
import re

from backlint.astrule import AstRule
from backlint.rules.passwords.astutil import FunctionNode, Imports, Text, enclosing_class, enclosing_function, imports_for, text_of
from backlint.rules.passwords.common import Flow, Knowledge

# Files that cannot hold a password or token being stored, compared or declared
# (searched in the lower-cased text: plain words are scanned for as literals).
TRIGGERS = re.compile(r"passw|pass_?phrase|pwd|token|api_?key|secret|access_?code|passcode")


class PasswordRule(AstRule):
    TRIGGERS = TRIGGERS
    LOWER_CASE_TRIGGERS = True

    # -- the import map as the former CST Tracker kept it: the module's imports up front, the
    # others as the walk reaches them (each rule of the family feeds the one shared map)
    def visit_Module(self, node: ast.Module) -> None:
        if "passwords.imports" not in self.ctx.memo:
            self.ctx.memo["passwords.imports"] = imports_for(self.ctx)

    def visit_Import(self, node: ast.Import) -> None:
        self.imports().add(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        self.imports().add(node)

    def imports(self) -> Imports:
        memo = self.ctx.memo
        found = memo.get("passwords.imports")
        if found is None:
            found = memo["passwords.imports"] = imports_for(self.ctx)
        return found

    def text(self) -> Text:
        return text_of(self.ctx)

    def current_function(self) -> FunctionNode | None:
        return enclosing_function(self.ctx.ast_tracker.scopes)

    def enclosing_class(self) -> ast.ClassDef | None:
        return enclosing_class(self.ctx.ast_tracker.scopes)

    def know(self) -> Knowledge:
        memo = self.ctx.memo
        if "passwords.know" not in memo:
            know = Knowledge(self.ctx, self.imports(), self.text())
            # this file's own helpers, from the facts pass (or the file's one parse)
            from backlint.facts import own_part

            part = own_part("passwords", self.ctx, triggered_only=False) or {}
            know.add_helpers(part.get("helpers", {}))
            memo["passwords.know"] = know
            memo["passwords.part"] = part
        return memo["passwords.know"]

    def local_part(self) -> dict:
        self.know()
        return self.ctx.memo["passwords.part"]

    def flow(self) -> Flow:
        function = self.current_function()
        key = ("passwords.flow", id(function))
        if key not in self.ctx.memo:
            self.ctx.memo[key] = Flow(self.know, function, self.text(), self.imports())
        return self.ctx.memo[key]


_PERSIST = re.compile(r"\.(?:save|asave|commit|add|add_all|flush|merge|put|bulk_update|insert_one|update_one|replace_one|save_base)\(")


def persists(ctx_memo: dict, text: Text, function: FunctionNode | None) -> bool:
    """Does the function save, commit or add anything? (Read in the CST's code of the def:
    its decorators and the comment lines around it count.)"""
    if function is None:
        return False
    key = ("passwords.persists", id(function))
    if key not in ctx_memo:
        ctx_memo[key] = bool(_PERSIST.search(text.function_code(function)))
    return bool(ctx_memo[key])
