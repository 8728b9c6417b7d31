import sqlite3
from datetime import datetime

import click
from flask import current_app, g

SCHEMA_VERSION_TABLE = "schema_version"


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect(current_app.config["DATABASE"], detect_types=sqlite3.PARSE_DECLTYPES)
        g.db.row_factory = sqlite3.Row
    return g.db


def close_db(e=None):
    db = g.pop("db", None)
    if db is not None:
        db.close()


def query_one(sql, args=()):
    return get_db().execute(sql, args).fetchone()  # ok: sqli


def init_db():
    db = get_db()
    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf8"))  # ok: sqli
    db.execute(f"CREATE TABLE IF NOT EXISTS {SCHEMA_VERSION_TABLE} (version INTEGER, applied TEXT)")  # ok: sqli
    db.execute(f"INSERT INTO {SCHEMA_VERSION_TABLE} VALUES (?, ?)", (1, datetime.utcnow().isoformat()))  # ok: sqli
    db.commit()


@click.command("init-db")
def init_db_command():
    init_db()
    click.echo("Initialized the database.")


@click.command("rename-author")
@click.argument("old")
@click.argument("new")
def rename_author_command(old, new):
    db = get_db()
    db.execute("UPDATE user SET username = '%s' WHERE username = '%s'" % (new, old))  # expect: sqli
    db.commit()
    click.echo(f"UPDATE user SET username = {new!r} done")  # ok: sqli


def init_app(app):
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(rename_author_command)
