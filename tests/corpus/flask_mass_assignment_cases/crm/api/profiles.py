from dataclasses import dataclass

from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from crm.extensions import mongo

bp = Blueprint("profiles", __name__)


@dataclass
class SearchQuery:
    q: str = ""
    page: int = 1


@bp.put("/me/public-profile")
@login_required
def save_public_profile():
    mongo.db.profiles.update_one(  # expect: mass-assignment
        {"user_id": current_user.id}, {"$set": request.get_json()}, upsert=True
    )
    return "", 204


@bp.post("/me/public-profile/links")
@login_required
def add_link():
    link = request.get_json()
    mongo.db.profiles.update_one({"user_id": current_user.id}, {"$push": {"links": link["url"]}})  # ok: mass-assignment
    return "", 201


@bp.get("/profiles/search")
def search_profiles():
    query = SearchQuery(**request.args.to_dict())  # ok: mass-assignment
    found = mongo.db.profiles.find({"$text": {"$search": query.q}}).skip((query.page - 1) * 20).limit(20)
    return jsonify([{"user_id": p["user_id"]} for p in found])


@bp.post("/feedback")
def send_feedback():
    mongo.db.feedback.insert_one(request.get_json())  # expect: mass-assignment
    return "", 202
