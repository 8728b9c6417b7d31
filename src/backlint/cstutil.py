"""libcst helpers shared by the rule families still written on libcst (pagination,
passwords): the source text of a node and the value of a string literal.

They lived in backlint.sql.template until the SQL family moved to `ast`; the SQL family
must not import libcst, so these stay here for the families that still do."""
from __future__ import annotations

import libcst as cst


def source(node: cst.CSTNode, limit: int = 60) -> str:
    code = cst.Module(body=[]).code_for_node(node)
    code = " ".join(code.split())
    return code if len(code) <= limit else code[: limit - 1] + "…"


def string_value(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        try:
            value = node.evaluated_value
        except Exception:  # noqa: BLE001 - odd escapes: fall back to the raw body
            return node.raw_value
        return value.decode("latin-1") if isinstance(value, bytes) else value
    if isinstance(node, cst.ConcatenatedString):
        left, right = string_value(node.left), string_value(node.right)
        if left is not None and right is not None:
            return left + right
    return None
