"""--fix / --unsafe-fixes / --diff: libcst transforms for findings with one right answer,
each checked by linting the fixed file again."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from backlint.fix import FIXERS, fix_file
from backlint.testing import lint_project

VIEWS = '''\
import requests
import yaml
from django.contrib.auth.models import User


def signup(request):
    user = User(username=request.POST["username"])
    user.password = request.POST["password"]
    user.save()
    return user


def settings_of(path):
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.Loader)


def profile(user_id):
    answer = requests.get(
        "https://api.example.com/users",
        params={"id": user_id},
    )
    return answer.json()
'''


def _project(root: Path) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (root / "app" / "views.py").write_text(VIEWS)
    return root / "app" / "views.py"


def _backlint(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "backlint", "app", "--llm", "off", "--no-cache", *args],
                          cwd=root, capture_output=True, text=True, timeout=300)


def test_diff_shows_the_safe_fixes_and_writes_nothing(tmp_path: Path) -> None:
    views = _project(tmp_path)
    proc = _backlint(tmp_path, "--diff")
    assert proc.returncode == 1, proc.stderr
    assert "-        return yaml.load(fh, Loader=yaml.Loader)\n+        return yaml.safe_load(fh)\n" in proc.stdout
    assert "timeout" not in proc.stdout and "set_password" not in proc.stdout  # unsafe: not without --unsafe-fixes
    assert "1 fix would be applied to 1 file; 2 more with --unsafe-fixes" in proc.stderr
    assert views.read_text() == VIEWS


def test_fix_then_unsafe_fixes_rewrite_the_file_and_report_what_is_left(tmp_path: Path) -> None:
    views = _project(tmp_path)
    proc = _backlint(tmp_path, "--fix")
    assert "fixed 1 finding in 1 file; 2 more with --unsafe-fixes" in proc.stderr
    assert "yaml.safe_load(fh)" in views.read_text() and "B506" not in proc.stdout
    assert "B113" in proc.stdout and "BL101" in proc.stdout  # left for --unsafe-fixes
    proc = _backlint(tmp_path, "--unsafe-fixes")
    text = views.read_text()
    assert '    user.set_password(request.POST["password"])\n' in text
    assert '        params={"id": user_id}, timeout=10,\n    )' in text  # the trailing comma kept, after the new argument
    assert "B113" not in proc.stdout and "BL101" not in proc.stdout
    compile(text, "views.py", "exec")
    assert _backlint(tmp_path, "--diff", "--unsafe-fixes").stdout == ""  # nothing left to fix


def test_a_fix_the_relint_does_not_confirm_is_refused(tmp_path: Path) -> None:
    views = _project(tmp_path)
    found = [f for f in lint_project(tmp_path, {}, select=["B506"]).findings]
    assert [f.code for f in found] == ["B506"]
    still = fix_file(str(views), VIEWS, found, unsafe=False, relint=lambda text: found)
    assert still is not None and not still.fixed and still.new == VIEWS
    assert still.refused[0][1] == "the finding is still there after the fix"


def test_every_fixer_names_a_rule() -> None:
    from backlint import registry

    assert set(FIXERS) <= set(registry.builtin_codes())
    assert {code for code, fixer in FIXERS.items() if fixer.safe} == {"B506"}


def test_set_password_only_where_the_file_shows_django_users(tmp_path: Path) -> None:
    """A SQLAlchemy model has no set_password(): the BL101 fix is not offered there."""
    (tmp_path / "app").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    views = tmp_path / "app" / "views.py"
    text = (
        "from flask import request\n"
        "from .models import User, db\n\n\n"
        "def register():\n"
        "    user = User(name=request.form['name'])\n"
        "    user.password = request.form['password']\n"
        "    db.session.add(user)\n"
        "    db.session.commit()\n"
    )
    views.write_text(text)
    (tmp_path / "app" / "models.py").write_text("from flask_sqlalchemy import SQLAlchemy\ndb = SQLAlchemy()\n\nclass User(db.Model):\n    pass\n")
    proc = _backlint(tmp_path, "--select", "BL101", "--diff", "--unsafe-fixes")
    assert proc.stdout == "" and "0 fixes would be applied" in proc.stderr
    assert "BL101" in _backlint(tmp_path, "--select", "BL101").stdout  # the finding itself stays


SQLITE = '''\
import sqlite3


def find_orders(customer_id, status):
    cursor = sqlite3.connect("app.db").cursor()
    cursor.execute(f"SELECT id FROM orders WHERE customer_id = {customer_id} AND status = '{status}'")
    return cursor.fetchall()


def one(uid):
    cursor = sqlite3.connect("app.db").cursor()
    cursor.execute(f"SELECT name FROM users WHERE id = {uid}")
    return cursor.fetchone()


def like(term):
    cursor = sqlite3.connect("app.db").cursor()
    cursor.execute(f"SELECT name FROM users WHERE name LIKE '%{term}%'")
    return cursor.fetchall()
'''


def _sql_project(root: Path, text: str) -> Path:
    (root / "app").mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    (root / "app" / "db.py").write_text(text)
    return root / "app" / "db.py"


def test_sql_built_with_an_f_string_gets_its_values_bound(tmp_path: Path) -> None:
    """BL201's unsafe fix: the holes become the driver's placeholders (`?` for sqlite3),
    a quoted `'{x}'` loses its quotes, the values go in a tuple; a hole inside a longer SQL
    string (a LIKE pattern) is left alone, and the finding stays."""
    db = _sql_project(tmp_path, SQLITE)
    assert "BL201" not in _backlint(tmp_path, "--diff").stdout  # unsafe: not without --unsafe-fixes
    proc = _backlint(tmp_path, "--select", "BL201", "--unsafe-fixes")
    text = db.read_text()
    assert '    cursor.execute("SELECT id FROM orders WHERE customer_id = ? AND status = ?", (customer_id, status))\n' in text
    assert '    cursor.execute("SELECT name FROM users WHERE id = ?", (uid,))\n' in text
    assert "LIKE '%{term}%'\")" in text
    assert "fixed 2 findings in 1 file" in proc.stderr
    assert [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("app/")] == ["BL201"]  # the LIKE one
    compile(text, "db.py", "exec")


def test_the_format_style_doubles_literal_percent_signs(tmp_path: Path) -> None:
    db = _sql_project(tmp_path, (
        "import psycopg2\n\n\n"
        "def recent(conn, uid):\n"
        "    cur = conn.cursor()\n"
        "    cur.execute(f\"SELECT id FROM logs WHERE path LIKE '/api%' AND user_id = {uid}\")\n"
        "    return cur.fetchall()\n"
    ))
    _backlint(tmp_path, "--select", "BL201", "--unsafe-fixes")
    assert "    cur.execute(\"SELECT id FROM logs WHERE path LIKE '/api%%' AND user_id = %s\", (uid,))\n" in db.read_text()


def test_no_sql_fix_without_one_known_placeholder_style(tmp_path: Path) -> None:
    """No driver imported (the placeholder is unknown), or SQLAlchemy (`:name`): the
    finding is reported, nothing is rewritten."""
    text = SQLITE.replace("import sqlite3", "import sqlite3\nfrom sqlalchemy import text")
    db = _sql_project(tmp_path, text)
    proc = _backlint(tmp_path, "--select", "BL201", "--diff", "--unsafe-fixes")
    assert proc.stdout == "" and "0 fixes would be applied" in proc.stderr
    assert db.read_text() == text


def test_calls_without_a_timeout_get_one(tmp_path: Path) -> None:
    """BL721's unsafe fix: `timeout=10` on the call the finding spans (not the `.json()`
    chained to it), `timeout=None` bounded; a timeout object is left for a person to
    choose its bounds."""
    text = (
        "import imaplib\n\nimport httpx\nimport requests\n\n\n"
        "def fetch(url):\n    return requests.get(url, params={'a': 1}).json()\n\n\n"
        "def client():\n    return httpx.Client(timeout=None)\n\n\n"
        "def mail(host):\n    return imaplib.IMAP4_SSL(host)\n\n\n"
        "def slow():\n    return httpx.Timeout(None, connect=5.0)\n"
    )
    (tmp_path / "app").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    calls = tmp_path / "app" / "calls.py"
    calls.write_text(text)
    proc = _backlint(tmp_path, "--preview", "--select", "BL721", "--unsafe-fixes")
    fixed = calls.read_text()
    assert "    return requests.get(url, params={'a': 1}, timeout=10).json()\n" in fixed
    assert "    return httpx.Client(timeout=10)\n" in fixed
    assert "    return imaplib.IMAP4_SSL(host, timeout=10)\n" in fixed
    assert "    return httpx.Timeout(None, connect=5.0)\n" in fixed
    assert "fixed 3 findings in 1 file" in proc.stderr
    assert [line.split()[1] for line in proc.stdout.splitlines() if line.startswith("app/")] == ["BL721"]  # the Timeout object


def test_certificate_checks_turned_back_on(tmp_path: Path) -> None:
    """BL711's unsafe fix: `verify=False` -> `verify=True`, `cert_reqs="CERT_NONE"` and
    `ssl.CERT_NONE` -> `CERT_REQUIRED`; a `verify=` taken from a setting is left alone."""
    text = (
        "import ssl\n\nimport httpx\nimport requests\nimport urllib3\n\n\n"
        "def fetch(url):\n    return requests.get(url, verify=False, timeout=5).json()\n\n\n"
        "def client():\n    return httpx.Client(verify=False, timeout=5)\n\n\n"
        "def pool():\n    return urllib3.PoolManager(cert_reqs=\"CERT_NONE\", timeout=5.0)\n\n\n"
        "def pool2():\n    return urllib3.PoolManager(cert_reqs=ssl.CERT_NONE, timeout=5.0)\n"
    )
    (tmp_path / "app").mkdir(parents=True)
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'app'\n")
    calls = tmp_path / "app" / "calls.py"
    calls.write_text(text)
    proc = _backlint(tmp_path, "--preview", "--select", "BL711", "--unsafe-fixes")
    fixed = calls.read_text()
    assert "    return requests.get(url, verify=True, timeout=5).json()\n" in fixed
    assert "    return httpx.Client(verify=True, timeout=5)\n" in fixed
    assert "    return urllib3.PoolManager(cert_reqs=\"CERT_REQUIRED\", timeout=5.0)\n" in fixed
    assert "    return urllib3.PoolManager(cert_reqs=ssl.CERT_REQUIRED, timeout=5.0)\n" in fixed
    assert "fixed 4 findings in 1 file" in proc.stderr and "BL711" not in proc.stdout
