from flask import Flask

from crm.extensions import db, login_manager, mongo


def create_app(config_object="crm.config.Config"):
    app = Flask(__name__)  # unclear: csrf
    app.config.from_object(config_object)
    db.init_app(app)
    login_manager.init_app(app)
    mongo.init_app(app)

    from crm.api import accounts, contacts, notes, profiles, users

    for module in (accounts, contacts, notes, profiles, users):
        app.register_blueprint(module.bp, url_prefix="/api/v1")
    return app
