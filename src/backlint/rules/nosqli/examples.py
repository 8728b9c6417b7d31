"""BL881's good and bad examples (tests and docs)."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        from flask import Flask, request
        from pymongo import MongoClient

        app = Flask(__name__)
        db = MongoClient()["shop"]

        @app.post("/login")
        def login():
            data = request.get_json()
            username = str(data.get("username", ""))
            user = db.users.find_one({"username": username})
            return {"ok": user is not None}
        """,
        id="value-made-a-string",
        note="`str()` makes the value a string: it can no longer be an operator document",
        doc=True,
    ),
    Valid(
        """
        from flask import Flask, request
        from pymongo import MongoClient

        app = Flask(__name__)
        db = MongoClient()["shop"]

        @app.get("/products")
        def products():
            category = request.args.get("category")
            query = {"category": category, "active": True}
            return {"items": list(db.products.find(query, {"_id": 0}))}
        """,
        id="query-string-values",
        note="a value of the query string is always a string: an equality test",
        doc=True,
    ),
    Valid(
        """
        from fastapi import FastAPI
        from pydantic import BaseModel

        app = FastAPI()

        class Login(BaseModel):
            username: str
            password: str

        @app.post("/login")
        async def login(body: Login):
            user = await app.state.db.users.find_one({"username": body.username})
            return {"ok": user is not None}
        """,
        id="pydantic-body",
        note="a body model with `str` fields: the values are strings",
        doc=True,
    ),
    Valid(
        """
        from flask import request
        from bson import Code

        def search(db):
            name = request.args["name"]
            js = Code("function() { return this.name == name; }", {"name": name})
            return list(db.people.find({"$where": js}))
        """,
        id="code-with-scope",
        note="the value is passed in the scope, the JavaScript is constant",
        doc=True,
    ),
    Valid(
        """
        import redis
        from flask import request

        r = redis.Redis()
        INCR_CAPPED = "local v = redis.call('INCR', KEYS[1]) if v > tonumber(ARGV[1]) then return -1 end return v"

        def hit():
            key = "hits:" + request.args["page"]
            r.execute_command("SET", key, request.args.get("value", "0"))
            return r.eval(INCR_CAPPED, 1, key, 100)
        """,
        id="redis-arguments-apart",
        note="arguments passed one by one, a constant script with KEYS/ARGV",
        doc=True,
    ),
    Valid(
        """
        def find_users(collection, query):
            return list(collection.find(query))
        """,
        id="helper-filter-parameter",
        note="a filter passed to a helper: who builds it is not known here",
    ),
    Valid(
        """
        from flask import request

        def check(db):
            data = request.get_json()
            username = data.get("username")
            if not isinstance(username, str):
                return {"error": "bad request"}, 400
            return db.users.find_one({"username": username})
        """,
        id="isinstance-checked",
    ),
    Valid(
        """
        from flask import request

        def position():
            text = request.get_json()["text"]
            return {"at": text.find("needle"), "where": "x".find(text)}
        """,
        id="str-find",
        note="`find` of a string is no query",
    ),
    Valid(
        """
        from flask import request

        def listing(db):
            allowed = {"category", "brand"}
            query = {k: v for k, v in request.args.items() if k in allowed}
            return list(db.products.find(query))
        """,
        id="allow-listed-keys",
    ),
    Valid(
        """
        from flask import request

        SEARCHABLE = ("title", "author")

        def listing(db):
            query = {"deleted": False}
            for key, value in request.args.items():
                if key not in SEARCHABLE:
                    continue
                query[key] = value
            return list(db.books.find(query))
        """,
        id="allow-listed-keys-in-a-loop",
    ),
    Valid(
        """
        import pandas as pd
        from flask import request

        def compute(df: pd.DataFrame):
            return df.eval(request.args["expr"])
        """,
        id="pandas-eval",
        note="an `.eval(...)` in a file without redis and without a key count is not Redis",
    ),
]

INVALID = [
    Invalid(
        """
        from flask import Flask, request
        from pymongo import MongoClient

        app = Flask(__name__)
        db = MongoClient()["shop"]

        @app.post("/login")
        def login():
            data = request.get_json()
            user = db.users.find_one({"username": data["username"], "password": data["password"]})
            return {"ok": user is not None}
        """,
        id="login-bypass",
        at=(10, 12),
        message="a value of the JSON body, in its filter as `username`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from flask import Flask, request
        from pymongo import MongoClient

        app = Flask(__name__)
        db = MongoClient()["shop"]

        @app.get("/orders")
        def orders():
            query = request.args.to_dict()
            return {"items": list(db.orders.find(query))}
        """,
        id="whole-query-string",
        at=(10, 27),
        message="takes its query filter from the request",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        from fastapi import Body, FastAPI

        app = FastAPI()

        @app.post("/search")
        async def search(filters: dict = Body(...)):
            cursor = app.state.db.items.find({**filters, "deleted": False})
            return await cursor.to_list(100)
        """,
        id="fastapi-dict-body",
        at=(7, 14),
        message="`filters`",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import json

        def report(request, db):
            body = json.loads(request.body)
            return list(db.events.aggregate([{"$match": body}, {"$group": {"_id": "$kind", "n": {"$sum": 1}}}]))
        """,
        id="django-match-stage",
        at=(5, 17),
        message="`body` (from `json.loads(request.body)`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from flask import request

        def search(db):
            name = request.args["name"]
            return list(db.people.find({"$where": f"this.name == '{name}'"}))
        """,
        id="where-fstring",
        at=(5, 43),
        message="becomes JavaScript the database runs",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        def by_owner(db, owner):
            js = "function() { return this.owner == '%s'; }" % owner
            return list(db.docs.find({"$where": js}))
        """,
        id="where-helper-parameter",
        at=(3, 41),
        message="depends on the callers of `by_owner`",
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        import redis
        from flask import request

        r = redis.Redis()

        def set_value():
            value = request.form["value"]
            r.execute_command(f"SET {request.form['key']} {value}")
        """,
        id="redis-command-string",
        at=(8, 5),
        message="runs a Redis command built from request data",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        import redis
        from django.http import JsonResponse

        r = redis.Redis()

        def counter(request):
            field = request.GET.get("field", "views")
            script = "return redis.call('HINCRBY', KEYS[1], '" + field + "', 1)"
            return JsonResponse({"n": r.eval(script, 1, "stats")})
        """,
        id="redis-lua-built",
        at=(9, 31),
        message="runs a Lua script built from request data",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from mongoengine import Document, StringField
        from rest_framework.decorators import api_view
        from rest_framework.response import Response

        class Note(Document):
            owner = StringField()

        @api_view(["POST"])
        def notes(request):
            return Response([n.to_json() for n in Note.objects(__raw__=request.data)])
        """,
        id="mongoengine-raw",
        at=(10, 43),
        message="takes its query filter from the request",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from flask import abort, request

        from .schemas import LoginSchema

        def login(db):
            data = request.get_json()
            if LoginSchema().validate(data):
                abort(400)
            return db.users.find_one({"username": data["username"]})
        """,
        id="checked-in-place",
        at=(9, 12),
        message="checked by `LoginSchema().validate(...)` first",
        confidence=Confidence.LOW,
        note="a schema that checks the body in place: whether it only lets strings through is not visible",
    ),
    Invalid(
        """
        from bson import json_util
        from tornado.web import RequestHandler

        class Search(RequestHandler):
            def get(self):
                where = json_util.loads(self.get_argument("where", "{}"))
                self.write({"n": self.settings["db"].items.count_documents(where)})
        """,
        id="tornado-extended-json",
        at=(7, 26),
        message="takes its query filter from the request",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from flask import request

        def listing(db):
            query = {"active": True}
            for key, value in request.args.items():
                query[key] = value
            return list(db.products.find(query))
        """,
        id="keys-copied-in-a-loop",
        at=(7, 17),
        message="takes its query filter from the request",
        confidence=Confidence.HIGH,
    ),
]
