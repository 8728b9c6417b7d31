from flask import Flask
from sqlalchemy import create_engine

from ledger.extensions import init_extensions


def create_app(config=None):
    app = Flask(__name__)
    app.config.from_mapping(DATABASE_URL="postgresql://ledger@db/ledger", REDIS_URL="redis://cache:6379/0")
    if config:
        app.config.update(config)
    app.extensions["engine"] = create_engine(app.config["DATABASE_URL"], pool_size=10)  # ok: connection-pooling
    init_extensions(app)

    from ledger.routes import accounts, reports, search

    app.register_blueprint(accounts.bp)
    app.register_blueprint(reports.bp)
    app.register_blueprint(search.bp)

    @app.cli.command("check-db")
    def check_db():
        engine = create_engine(app.config["DATABASE_URL"])  # ok: connection-pooling
        with engine.connect() as conn:
            conn.exec_driver_sql("SELECT 1")

    return app
