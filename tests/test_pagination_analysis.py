"""The pagination family's analysis (`rules/pagination/analysis.py`) on `ast`: what a
function's Flow finds it returns or streams, on code that exercises the corners of the port
(f-string pieces with `{{`, a parameter's code with a comment after its comma, `*args`
handed to a helper reading a cursor, keyword and lambda names that limit a helper, `async
with` / `async for`, a constant table of queries, implicit string concatenation, a SQL
text grown with `+=`, statements under `if` / `try` / `with`). The expected answers are
the ones the libcst analysis gave on the same code before the port (place, quoted text,
library, kind, confidence, evidence, via, placeholder)."""
from __future__ import annotations

import ast
import textwrap

from backlint.context import FileContext
from backlint.project import collect
from backlint.rules.pagination.analysis import Flow, knowledge
from backlint.rules.passwords.astutil import text_of
from backlint.settings import Settings

CODE = textwrap.dedent(r'''
from flask import Flask, jsonify, request
from fastapi import Query
import csv

app = Flask(__name__)
REPORTS = {"a": "SELECT * FROM t", "b": "SELECT count(*) FROM t"}


def rows_of(cursor, *rest):
    return cursor.fetchall()


@app.get("/a")
def a():
    q = request.args.get("q")
    rows = get_db().execute(f"SELECT id FROM t WHERE x = '{{q}}' AND y = {q} LIMIT {request.args['n']}").fetchall()
    return jsonify(rows)


@app.get("/b")
def b(limit: int = Query(10, description="lt= no"),  # le=100
      offset: int = 0):
    cur = get_db().cursor()
    cur.execute("SELECT id FROM t ORDER BY id LIMIT %s OFFSET %s", (limit, offset))
    return jsonify(rows_of(*[cur]))


@app.get("/c")
def c():
    def gen():
        for row in Item.query.order_by(Item.id).all():
            yield f"{row.id}\n"
    items = Item.query.filter_by(owner=current_user).all()
    out = {"items": [i.to_dict() for i in items]}
    out["more"] = list_things(params=Params(page=1))
    out["other"] = list_things(make().limit)
    out["x"] = list_all((lambda size: size)(3))
    return jsonify(out), gen()


@app.get("/d")
async def d(conn):
    async with conn.transaction() as tx:
        sql = "SELECT id FROM t"
        sql += " WHERE a = $1"
        async for r in tx.cursor(sql):
            await resp.write(r)
    return await conn.fetch(REPORTS["a"]) or await conn.fetch(("SELECT 1 " "FROM t"))


@app.get("/e")
def e(db):
    if request.args:
        return jsonify([dict(r) for r in db.execute(text("SELECT * FROM t " + request.args["w"])).all()])
    elif True:
        try:
            stmt = select(User).group_by(User.country)
        finally:
            pass
    with open("x") as f:
        csv.writer(f).writerows(db.execute(stmt).all())
    return jsonify(db.scalars(stmt).all())
''').lstrip("\n")

EXPECTED = {'a': [(16,
        11,
        16,
        115,
        'get_db().execute(f"SELECT id FROM t WHERE x = \'{{q}}\' AND y…',
        'sql',
        'collection',
        'low',
        ("the LIMIT is `request.args['n']`, which comes from the request with no upper cap",),
        '',
        '%s')],
 'b': [(10, 11, 10, 28, 'cursor.fetchall()', 'sql', 'collection', 'low', ('the query run on `cursor` is not visible in this function', 'returned by `rows_of()` in this module'), '', '%s')],
 'c': [(33,
        12,
        33,
        58,
        'Item.query.filter_by(owner=current_user).all()',
        'flask-sqlalchemy',
        'collection',
        'low',
        ('scoped to the current user: usually a handful of rows, but nothing caps it',),
        'listed in a comprehension',
        '%s'),
       (31,
        19,
        31,
        53,
        'Item.query.order_by(Item.id).all()',
        'flask-sqlalchemy',
        'collection',
        'low',
        ('written out row by row (a streamed export): memory stays flat, but nothing bounds the download',),
        '',
        '%s')],
 'd': [(48, 17, 48, 41, 'conn.fetch(REPORTS["a"])', 'asyncpg', 'collection', 'high', (), '', '%s'),
       (48, 51, 48, 85, 'conn.fetch(("SELECT 1 " "FROM t"))', 'asyncpg', 'collection', 'high', (), '', '%s'),
       (46, 23, 46, 37, 'tx.cursor(sql)', 'sql', 'collection', 'low', ('written out row by row (a streamed export): memory stays flat, but nothing bounds the download',), '', '$1')],
 'e': [(54, 41, 54, 103, 'db.execute(text("SELECT * FROM t " + request.args["w"])).al…', 'sql', 'collection', 'high', (), 'listed in a comprehension', '%s'),
       (62, 19, 62, 41, 'db.scalars(stmt).all()', 'sqlalchemy', 'collection', 'low', ('one row per group of a column that is not a key (`group_by(...)`): usually a handful of rows',), '', '%s'),
       (61,
        32,
        61,
        54,
        'db.execute(stmt).all()',
        'sqlalchemy',
        'collection',
        'low',
        ('one row per group of a column that is not a key (`group_by(...)`): usually a handful of rows',
         'written out row by row (a streamed export): memory stays flat, but nothing bounds the download'),
        '',
        '%s')],
 'rows_of': [(10, 11, 10, 28, 'cursor.fetchall()', 'sql', 'collection', 'low', ('the query run on `cursor` is not visible in this function',), '', '%s')]}


def _answers() -> dict[str, list[tuple[object, ...]]]:
    ctx = FileContext(path="app.py", text=CODE, settings=Settings(), project=collect([]))
    assert ctx.parsed is not None
    text = text_of(ctx)
    found: dict[str, list[tuple[object, ...]]] = {}
    for stmt in ctx.parsed.tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            flow = Flow(ctx, stmt, knowledge(()), False)
            rows = []
            for src in flow.returned() + flow.streamed():
                spot = text.expression(src.node)
                rows.append((
                    spot.lineno, spot.col_offset, spot.end_lineno, spot.end_col_offset, src.what(text), src.library, src.kind,
                    src.confidence.value, src.evidence, src.via, src.placeholder,
                ))
            found[stmt.name] = rows
    return found


def test_flow_answers_are_the_libcst_ones() -> None:
    assert _answers() == EXPECTED
