import sqlite3

import redis
import requests
from flask import Blueprint, current_app, jsonify
from pymongo import MongoClient

bp = Blueprint("reports", __name__, url_prefix="/reports")


@bp.route("/exports/<export_id>")
def export_status(export_id):
    client = MongoClient(current_app.config.get("MONGO_URL", "mongodb://mongo:27017"))  # expect: connection-pooling
    try:
        doc = client.ledger.exports.find_one({"_id": export_id}, {"status": 1})
    finally:
        client.close()
    return jsonify(status=(doc or {}).get("status", "unknown"))


@bp.route("/hits/<name>")
def hits(name):
    counter = redis.Redis(host="cache", port=6379, db=1)  # expect: connection-pooling
    return jsonify(hits=counter.incr(f"report:{name}"))


@bp.route("/local/<int:report_id>")
def local_report(report_id):
    with sqlite3.connect(current_app.config.get("REPORT_DB", "reports.db")) as conn:  # ok: connection-pooling
        row = conn.execute("SELECT title, body FROM reports WHERE id = ?", (report_id,)).fetchone()
    return jsonify(title=row[0], body=row[1])


@bp.route("/fx/<currency>")
def fx_rate(currency):
    with requests.Session() as http:  # unclear: connection-pooling
        http.headers["Accept"] = "application/json"
        response = http.get(f"https://fx.example.com/latest/{currency}", timeout=5)
    return jsonify(rate=response.json()["rate"])
