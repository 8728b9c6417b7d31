from flask import Flask


def create_app():
    app = Flask(__name__)
    from wiki import pages, render

    app.register_blueprint(pages.bp)
    app.register_blueprint(render.bp)
    return app
