from functools import lru_cache

from flask import Blueprint, jsonify, request
from pymongo import MongoClient

bp = Blueprint("search", __name__, url_prefix="/search")


@lru_cache(maxsize=1)
def search_client():
    return MongoClient("mongodb://search:27017")  # ok: connection-pooling


@bp.get("/accounts")
def accounts():
    term = request.args.get("q", "")
    hits = search_client().ledger.accounts.find({"$text": {"$search": term}}, {"_id": 1}).limit(20)
    return jsonify(ids=[str(h["_id"]) for h in hits])
