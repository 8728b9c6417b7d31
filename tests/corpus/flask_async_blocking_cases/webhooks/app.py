"""Flask async views: Flask runs each in an event loop of its own on the request's worker
thread, so a blocking call holds up only the view's own concurrent tasks."""
import asyncio
import time

import httpx
import requests
from flask import Flask, jsonify, request

app = Flask(__name__)
NOTIFY_URLS = ["https://hooks.example.com/a", "https://hooks.example.com/b"]


@app.post("/v1/notify")
async def notify():
    payload = request.get_json()
    async with httpx.AsyncClient(timeout=5) as client:  # unclear: connection-pooling
        results = await asyncio.gather(*(client.post(url, json=payload) for url in NOTIFY_URLS))  # ok: async-blocking
    audit = requests.post("https://audit.example.com/v1/events", json=payload, timeout=5)  # unclear: async-blocking
    return jsonify(sent=len(results), audited=audit.ok)


@app.post("/v1/retry")
async def retry():
    time.sleep(1)  # unclear: async-blocking
    return jsonify(ok=True)


@app.get("/v1/ping")
def ping():
    requests.get("https://audit.example.com/v1/ping", timeout=2)  # ok: async-blocking
    return jsonify(ok=True)
