"""The plaintext-password rules (BL101-BL103) through the real CLI: configured hashers,
in-project hasher helpers in another module, `.sql` files."""
from __future__ import annotations

from pathlib import Path

from conftest import backlint_json, write

SERVICE = '''\
from app.security import protect
from app.models import User


def register(db, email, password):
    db.add(User(email=email, password=protect(password)))
    db.commit()
'''

MODELS = '''\
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"
    id = Column(Integer, primary_key=True)
    email = Column(String(255))
    password = Column(String(255))
'''


def _rules(report):
    return [(f["path"].replace("\\\\", "/"), f["line"], f["rule"]) for f in report["findings"]]


def test_configured_hasher_is_honoured(project: Path):
    write(project, "app/__init__.py", "")
    write(project, "app/models.py", MODELS)
    write(project, "app/security.py", "import vault\n\ndef protect(p):\n    return vault.seal(p)\n")
    write(project, "app/services.py", SERVICE)
    code, report = backlint_json(".", cwd=project)
    assert code == 1
    found = _rules(report)
    # protect() is unknown: its result is not taken as clear text (no BL101), but neither
    # as a hash, so the column looks unhashed
    assert found == [("app/models.py", 11, "BL103")]
    write(project, "pyproject.toml", '[tool.backlint]\npassword-hashers = ["app.security.protect"]\n')
    code, report = backlint_json(".", cwd=project)
    assert code == 0, report["findings"]


def test_in_project_helper_in_another_module(project: Path):
    write(project, "app/__init__.py", "")
    write(project, "app/models.py", MODELS)
    write(
        project,
        "app/security.py",
        "from passlib.context import CryptContext\n\nctx = CryptContext(schemes=['argon2'])\n\n"
        "def protect(p):\n    hashed = ctx.hash(p)\n    return hashed\n",
    )
    write(project, "app/services.py", SERVICE)
    code, report = backlint_json(".", cwd=project)
    assert code == 0, report["findings"]
    # only services.py linted (pre-commit): the helper and the model still count
    code, report = backlint_json("app/models.py", cwd=project)
    assert code == 0, report["findings"]


def test_sql_file_column(project: Path):
    write(
        project,
        "schema.sql",
        "CREATE TABLE users (\n  id INTEGER PRIMARY KEY,\n  password TEXT NOT NULL,\n  password_hash TEXT\n);\n"
        "ALTER TABLE admins ADD COLUMN pwd VARCHAR(64); -- backlint: ignore[BL103] legacy import\n",
    )
    code, report = backlint_json(".", cwd=project)
    assert code == 1
    [finding] = report["findings"]
    assert (finding["line"], finding["column"], finding["rule"]) == (3, 3, "BL103")
    assert "column `password` (TEXT)" in finding["message"]
    # a module that inserts a hash into that column makes it fine
    write(
        project,
        "db.py",
        "from werkzeug.security import generate_password_hash\n\n"
        "def add(cur, pw):\n    cur.execute('INSERT INTO users (password) VALUES (?)', (generate_password_hash(pw),))\n",
    )
    code, report = backlint_json(".", cwd=project)
    assert code == 0, report["findings"]


def test_sql_file_not_utf8_is_a_clear_error(project: Path):
    write(project, "dump.sql", b"CREATE TABLE t (password TEXT); -- caf\xe9\n")
    code, report = backlint_json(".", cwd=project)
    assert [e["message"] for e in report["errors"]] == ["cannot decode as utf-8: byte 0xe9 at line 1 is invalid; skipped"]


def test_token_stored_raw_is_unverified(project: Path):
    write(
        project,
        "views.py",
        "import secrets\n\n\ndef forgot(db, user):\n    user.reset_token = secrets.token_urlsafe(32)\n    db.session.commit()\n",
    )
    code, report = backlint_json(".", cwd=project)
    [finding] = report["findings"]
    assert finding["rule"] == "BL101" and finding["confidence"] == "low" and finding["status"] == "unverified"


def test_django_migrations_know_the_project_user_model(project: Path):
    write(
        project,
        "accounts/models.py",
        "from django.contrib.auth.models import AbstractUser\nfrom django.db import models\n\n\n"
        "class CustomUser(AbstractUser):\n    pass\n\n\n"
        "class Partner(models.Model):\n    pwd = models.CharField(max_length=40)\n",
    )
    write(
        project,
        "accounts/migrations/0002_more.py",
        "from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    operations = [\n"
        "        migrations.AddField(model_name='customuser', name='password', field=models.CharField(max_length=128)),\n"
        "        migrations.AddField(model_name='partner', name='pwd', field=models.CharField(max_length=40)),\n"
        "    ]\n",
    )
    code, report = backlint_json(".", cwd=project)
    assert code == 1
    assert _rules(report) == [("accounts/migrations/0002_more.py", 7, "BL103"), ("accounts/models.py", 10, "BL103")]
    assert "`Partner.pwd` (Django model field)" in report["findings"][1]["message"]
    # the view that hashes into `pwd` clears both
    write(
        project,
        "accounts/views.py",
        "from django.contrib.auth.hashers import make_password\nfrom accounts.models import Partner\n\n\n"
        "def add(request):\n    Partner.objects.create(pwd=make_password(request.POST['pwd']))\n",
    )
    code, report = backlint_json(".", cwd=project)
    assert code == 0, report["findings"]
