from flask import Flask, jsonify, request

from notify import upstreams

app = Flask(__name__)


@app.get("/v1/status")
def status():
    url = request.args.get("url", "https://api.example.com/health")
    return jsonify(code=upstreams.service_status_bounded(url))


@app.get("/v1/search")
def search():
    return jsonify(results=upstreams.search_products(request.args.get("q", "")))
