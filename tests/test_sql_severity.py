"""BL201/BL202 severity follows where the spliced value comes from (issue 11, item 5):
request data is high, the application's own or untraced values medium, an escaped value
(escaped, not bound) low; each message says which."""
from __future__ import annotations

from backlint.testing import lint_project

VIEWS = '''\
import pymysql
from flask import Flask, request

app = Flask(__name__)


@app.get("/users")
def by_name(cur):
    cur.execute(f"SELECT * FROM users WHERE name = '{request.args['name']}'")
    return "ok"


def by_id(cur, uid):
    cur.execute(f"SELECT * FROM users WHERE id = {uid}")


def by_city(cur, city):
    cur.execute(f"SELECT * FROM users WHERE city = '{pymysql.converters.escape_string(city)}'")


def by_table(cur, table):
    cur.execute(f"SELECT * FROM {pymysql.converters.escape_string(table)}")
'''


def test_severity_follows_the_origin_of_the_spliced_value(tmp_path):
    result = lint_project(tmp_path, {"pyproject.toml": "[tool.backlint]\n", "app.py": VIEWS}, select=["BL2"])
    by_line = {f.span.start_line: f for f in result.findings}
    assert by_line[9].severity.value == "high" and "request.args" in by_line[9].message
    assert by_line[14].severity.value == "medium" and "no request data is traced to it" in by_line[14].message
    assert by_line[18].severity.value == "low" and "escaping is not binding" in by_line[18].message
    assert by_line[18].confidence.value == "high"
    # an escaped name in an identifier position is what quoting is for: no finding
    assert 22 not in by_line, [(f.span.start_line, f.message) for f in result.findings]


def test_sql_built_in_a_test_module_is_low_confidence(tmp_path) -> None:
    from backlint.testing import lint_project

    code = "def find(cursor, key):\n    cursor.execute(\"SELECT v FROM sessions WHERE k = '%s'\" % key)\n"
    result = lint_project(tmp_path, {"pyproject.toml": "[project]\nname = 'app'\n", "app/db.py": code, "tests/test_db.py": code},
                          select=["BL201"])
    found = {f.path: f for f in result.findings}
    assert found["app/db.py"].confidence.value == "high"
    assert found["tests/test_db.py"].confidence.value == "low" and "in a test module" in found["tests/test_db.py"].message
