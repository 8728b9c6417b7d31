"""Shared plumbing of the BL101-BL103 rule classes."""
from __future__ import annotations

import re

import libcst as cst

from backlint.rule import Rule
from backlint.rules.passwords.common import Flow, Knowledge

# Files that cannot hold a password or token being stored, compared or declared
# (searched in the lower-cased text: plain words are scanned for as literals).
TRIGGERS = re.compile(r"passw|pass_?phrase|pwd|token|api_?key|secret|access_?code|passcode")


class PasswordRule(Rule):
    TRIGGERS = TRIGGERS
    LOWER_CASE_TRIGGERS = True

    def know(self) -> Knowledge:
        memo = self.ctx.memo
        if "passwords.know" not in memo:
            know = Knowledge(self.ctx)
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
        function = self.ctx.tracker.current_function()
        key = ("passwords.flow", id(function))
        if key not in self.ctx.memo:
            self.ctx.memo[key] = Flow(self.know, function)
        return self.ctx.memo[key]


_PERSIST = re.compile(r"\.(?:save|asave|commit|add|add_all|flush|merge|put|bulk_update|insert_one|update_one|replace_one|save_base)\(")


def persists(ctx_memo: dict, module: cst.Module | None, function: cst.FunctionDef | None) -> bool:
    """Does the function save, commit or add anything?"""
    if function is None or module is None:
        return False
    key = ("passwords.persists", id(function))
    if key not in ctx_memo:
        ctx_memo[key] = bool(_PERSIST.search(module.code_for_node(function)))
    return bool(ctx_memo[key])
