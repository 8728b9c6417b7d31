import os

from flask import Flask


def create_app(test_config=None):
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("BLOG_SECRET_KEY", "dev"),
        DATABASE=os.path.join(app.instance_path, "blog.sqlite"),
        SQLALCHEMY_DATABASE_URI=os.environ.get("BLOG_ADMIN_DB", "sqlite:///admin.sqlite"),
    )
    if test_config is not None:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)

    from . import db, posts, admin
    from .extensions import db as sa_db

    db.init_app(app)
    sa_db.init_app(app)
    app.register_blueprint(posts.bp)
    app.register_blueprint(admin.admin_bp)
    return app
