from flask import Blueprint, abort, jsonify, request
from werkzeug.security import check_password_hash

from .extensions import mongo
from .schemas import LoginSchema

bp = Blueprint("auth", __name__, url_prefix="/api/v1/auth")


@bp.post("/login")
def login():  # expect: rate-limit
    data = request.get_json(force=True)
    user = mongo.db.users.find_one({"username": data["username"]})  # expect: nosqli
    if user is None or not check_password_hash(user["password_hash"], data["password"]):
        abort(401)
    return jsonify(token=str(user["_id"]))


@bp.post("/legacy-login")
def legacy_login():  # unclear: rate-limit
    payload = request.json
    username = payload.get("username")
    pin = payload.get("pin")
    account = mongo.db.kiosk_accounts.find_one({"username": username, "pin": pin})  # expect: nosqli
    if not account:
        abort(401)
    return jsonify(token=str(account["_id"]))


@bp.post("/token")
def token():  # expect: rate-limit
    creds = LoginSchema().load(request.get_json())
    user = mongo.db.users.find_one({"username": creds["username"]})  # ok: nosqli
    if user is None or not check_password_hash(user["password_hash"], creds["password"]):
        abort(401)
    return jsonify(token=str(user["_id"]))


@bp.post("/reset")
def reset():
    body = request.get_json() or {}
    email = str(body.get("email", "")).strip().lower()
    user = mongo.db.users.find_one({"email": email})  # ok: nosqli
    if user is not None:
        mongo.db.reset_requests.insert_one({"user_id": user["_id"]})
    return jsonify(sent=True)


@bp.post("/verify")
def verify():
    body = request.get_json()
    code = body.get("code")
    if not isinstance(code, str):
        abort(400)
    record = mongo.db.codes.find_one({"code": code, "used": False})  # ok: nosqli
    return jsonify(valid=record is not None)
