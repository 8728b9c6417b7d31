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
    code, report = backlint_json(".", "--select", "BL1", cwd=project)
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
    code, report = backlint_json(".", "--select", "BL1", cwd=project)
    assert code == 0, report["findings"]


SETTER_MODELS = '''\
import bcrypt
from sqlalchemy import Column, Integer, String
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class Member(Base):
    __tablename__ = "members"
    id = Column(Integer, primary_key=True)
    _password = Column("password", String(255))

    @property
    def password(self):
        return self._password

    @password.setter
    def password(self, raw):
        self._password = bcrypt.hashpw(raw.encode(), bcrypt.gensalt()).decode()


class Partner(Base):
    __tablename__ = "partners"
    id = Column(Integer, primary_key=True)
    password = Column(String(255))
'''

SETTER_VIEWS = '''\
from flask import request

from app.models import Member, Partner
from app.db import session


def join():
    session.add(Member(password=request.form["password"]))
    session.commit()


def partner_signup():
    session.add(Partner(password=request.form["password"]))
    session.commit()
'''


def test_hashing_setter_counts_for_its_own_class_only(project: Path):
    write(project, "app/__init__.py", "")
    write(project, "app/db.py", "session = None\n")
    write(project, "app/models.py", SETTER_MODELS)
    write(project, "app/views.py", SETTER_VIEWS)
    code, report = backlint_json(".", cwd=project)
    assert code == 1
    # Member's setter hashes (its `password` column too); Partner's column gets clear text
    assert sorted(_rules(report)) == [("app/models.py", 25, "BL103"), ("app/views.py", 13, "BL101")]
    # pre-commit: only the views linted, the models' setter still counts
    code, report = backlint_json("app/views.py", cwd=project)
    assert _rules(report) == [("app/views.py", 13, "BL101")]


def test_descriptor_and_callers_in_other_modules(project: Path):
    write(project, "app/__init__.py", "")
    write(
        project,
        "app/passwords.py",
        "class PasswordProperty:\n    def __init__(self, attr):\n        self.attr = attr\n\n"
        "    def __set__(self, instance, value):\n        setattr(instance, self.attr, self.backend.create_hash(value))\n",
    )
    write(
        project,
        "app/models.py",
        "from sqlalchemy import Column, String\n\nfrom app.passwords import PasswordProperty\n\n\n"
        "class Identity(Base):\n    password_hash = Column(String)\n    password = PasswordProperty('password_hash')\n\n\n"
        "class Auth(Base):\n    password = Column(String)\n",
    )
    write(
        project,
        "app/store.py",
        "from app.models import Auth\n\n\nclass AuthsTable:\n"
        "    def insert_new_auth(self, email, password, db):\n        db.add(Auth(email=email, password=password))\n        db.commit()\n",
    )
    write(
        project,
        "app/views.py",
        "from flask import request\n\nfrom app.models import Identity\nfrom app.security import get_password_hash\nfrom app.store import AuthsTable\n\n\n"
        "def register(db):\n    db.add(Identity(password=request.form['password']))\n    db.commit()\n"
        "    AuthsTable().insert_new_auth(email='a', password=get_password_hash(request.form['password']), db=db)\n",
    )
    code, report = backlint_json(".", cwd=project)
    assert code == 0, report["findings"]


def test_same_named_class_from_a_library_is_not_the_model(project: Path):
    write(project, "app/__init__.py", "")
    write(project, "app/models.py", "class Server(Base):\n    __tablename__ = 'servers'\n    admin_password_hash = Column(String)\n")
    write(
        project,
        "app/cloud.py",
        "from azure.mgmt.rdbms.models import Server\n\n\ndef provision(client, db_password):\n"
        "    client.servers.begin_create(Server(administrator_login_password=db_password))\n    client.commit()\n",
    )
    write(
        project,
        "app/admin.py",
        "from app.models import Server\n\n\ndef add(db, admin_password):\n    db.add(Server(admin_password=admin_password))\n    db.commit()\n",
    )
    code, report = backlint_json(".", cwd=project)
    assert _rules(report) == [("app/admin.py", 5, "BL101")], report["findings"]


def test_starlette_databases_records_and_bot_lookup(project: Path):
    """A row loaded by a helper of the module and compared with `!=`, a module-level
    `WHERE password = :password` query run through `databases`' `fetch_one(values=...)`,
    and a hash column filled by a third-party client made by a factory classmethod."""
    write(project, "wiki/__init__.py", "")
    write(project, "wiki/db.py", "import databases\n\ndatabase = databases.Database('sqlite:///wiki.db')\n")
    write(
        project,
        "wiki/pages.py",
        "from .db import database\n\n\n"
        "async def _load(slug):\n"
        "    row = await database.fetch_one('SELECT id, view_password FROM pages WHERE slug = :slug', values={'slug': slug})\n"
        "    return row\n\n\n"
        "async def unlock(request):\n"
        "    page = await _load(request.path_params['slug'])\n"
        "    form = await request.form()\n"
        "    if form.get('password', '') != page['view_password']:\n"
        "        return 403\n",
    )
    write(
        project,
        "wiki/bots.py",
        "from .db import database\n\n"
        "LOOKUP = 'SELECT id FROM bots WHERE name = :name AND password = :password'\n\n\n"
        "async def bot(name, password):\n"
        "    return await database.fetch_one(LOOKUP, values={'name': name, 'password': password})\n",
    )
    write(
        project,
        "wiki/admin.py",
        "from corp_identity import IdentityClient\nfrom .models import User\n\n"
        "identity = IdentityClient.from_env()\n\n\n"
        "def create(body, session):\n"
        "    session.add(User(email=body.email, hashed_password=identity.hash_password(body.password)))\n"
        "    session.commit()\n",
    )
    code, report = backlint_json(".", "--select", "BL1", cwd=project)
    found = {(f["path"].replace("\\", "/"), f["line"], f["rule"], f["confidence"]) for f in report["findings"]}
    assert found == {
        ("wiki/pages.py", 12, "BL102", "high"),
        ("wiki/bots.py", 7, "BL102", "high"),
        ("wiki/admin.py", 8, "BL101", "low"),
    }, report["findings"]
