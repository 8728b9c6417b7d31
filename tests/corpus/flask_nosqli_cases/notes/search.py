from bson import ObjectId
from flask import Blueprint, abort, jsonify, request

from .extensions import mongo
from .repository import notes_matching, notes_with_title_like

bp = Blueprint("search", __name__, url_prefix="/api/v1/notes")

ALLOWED_FILTERS = {"tag", "archived", "color"}


def _page(cursor):
    return [{**doc, "_id": str(doc["_id"])} for doc in cursor.limit(50)]


@bp.get("/")
def list_notes():
    criteria = request.args.to_dict()
    criteria.pop("page", None)
    return jsonify(_page(mongo.db.notes.find(criteria)))  # expect: nosqli


@bp.get("/filtered")
def filtered_notes():
    criteria = {k: v for k, v in request.args.items() if k in ALLOWED_FILTERS}
    return jsonify(_page(mongo.db.notes.find(criteria)))  # ok: nosqli


@bp.get("/by-tag")
def notes_by_tag():
    tag = request.args.get("tag", "")
    return jsonify(_page(mongo.db.notes.find({"tags": tag, "archived": False})))  # ok: nosqli


@bp.post("/query")
def query_notes():
    spec = request.get_json()
    owner = spec.get("owner")
    return jsonify(_page(mongo.db.notes.find({**spec, "deleted": False})))  # expect: nosqli


@bp.get("/title")
def notes_by_title():
    title = request.args["title"]
    where = "this.title.indexOf('" + title + "') >= 0"
    return jsonify(_page(mongo.db.notes.find({"$where": where})))  # expect: nosqli


@bp.get("/length")
def notes_longer_than():
    size = int(request.args.get("min", "0"))
    return jsonify(_page(mongo.db.notes.find({"$where": f"this.body.length > {size}"})))  # ok: nosqli


@bp.get("/<note_id>")
def note(note_id):
    doc = mongo.db.notes.find_one({"_id": ObjectId(note_id)})  # ok: nosqli
    if doc is None:
        abort(404)
    doc["_id"] = str(doc["_id"])
    return jsonify(doc)


@bp.get("/sorted/<field>")
def notes_sorted(field):
    value = request.args.get("value", "")
    return jsonify(_page(mongo.db.notes.find({field: value})))  # expect: nosqli


@bp.get("/matching")
def matching():
    return jsonify(_page(notes_matching(mongo.db, request.args.get("q", ""))))  # ok: nosqli


@bp.get("/like")
def like():
    return jsonify(_page(notes_with_title_like(mongo.db, request.args.get("q", ""))))
