from flask import Blueprint, jsonify, request

from .extensions import cache

bp = Blueprint("cache", __name__, url_prefix="/api/v1/cache")

RATE_SCRIPT = """
local current = redis.call('INCR', KEYS[1])
if current == 1 then redis.call('EXPIRE', KEYS[1], ARGV[1]) end
return current
"""


@bp.post("/set")
def set_value():
    body = request.get_json()
    key, value = body["key"], body["value"]
    cache.client.execute_command(f"SET note:{key} {value}")  # expect: nosqli
    return jsonify(ok=True)


@bp.post("/set-safe")
def set_value_safe():
    body = request.get_json()
    cache.client.execute_command("SET", f"note:{body['key']}", str(body["value"]))  # ok: nosqli
    return jsonify(ok=True)


@bp.post("/admin/run")
def run_command():
    command = request.get_json()["command"]
    return jsonify(result=str(cache.client.execute_command(*command.split())))  # expect: nosqli


@bp.get("/hits")
def hits():
    page = request.args.get("page", "home")
    count = cache.client.eval(RATE_SCRIPT, 1, f"hits:{page}", 60)  # ok: nosqli
    return jsonify(count=count)


@bp.get("/top")
def top():
    board = request.args.get("board", "weekly")
    script = "return redis.call('ZREVRANGE', 'board:" + board + "', 0, 9)"
    return jsonify(top=cache.client.eval(script, 0))  # expect: nosqli
