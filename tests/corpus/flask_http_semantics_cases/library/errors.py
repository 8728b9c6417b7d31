from flask import Blueprint, jsonify, render_template

errors = Blueprint("errors", __name__)


@errors.app_errorhandler(404)
def not_found(error):
    return jsonify({"error": "not found"})  # expect: http-semantics


@errors.app_errorhandler(500)
def server_error(error):
    return jsonify({"error": "internal error"}), 500  # ok: http-semantics


@errors.app_errorhandler(429)
def too_many(error):
    return jsonify(error="slow down"), 429  # ok: http-semantics


@errors.app_errorhandler(403)
def forbidden(error):
    return render_template("errors/403.html")  # expect: http-semantics


@errors.app_errorhandler(410)
def gone(error):
    return render_template("errors/410.html"), 410  # ok: http-semantics
