import csv

import click
from flask import Flask

from .services.importer import import_customers


def register_cli(app: Flask) -> None:
    @app.cli.command("import-legacy-customers")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def import_legacy_customers(path: str) -> None:
        with open(path, newline="", encoding="utf-8") as fh:
            count = import_customers(csv.DictReader(fh))
        click.echo(f"imported {count} customers")
