import sqlite3

from flask import Flask, abort, jsonify, request

app = Flask(__name__)  # ok: csrf
DEVICE_KEYS = {"kitchen": "k-123", "garage": "k-456"}


@app.route("/readings", methods=["POST"])
def add_reading():
    device = request.form["device"]
    if DEVICE_KEYS.get(device) != request.headers.get("X-Device-Key"):
        abort(403)
    db = sqlite3.connect("sensors.db")
    db.execute("INSERT INTO readings (device, value) VALUES (?, ?)", (device, float(request.form["value"])))
    db.commit()
    return jsonify(stored=True)
