import json

from django.http import HttpResponseBadRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from .mongo import books

SEARCHABLE = ("title", "author", "isbn", "language")


def _rows(cursor):
    return [{**doc, "_id": str(doc["_id"])} for doc in cursor.limit(50)]


@require_POST
def search_books(request):
    criteria = json.loads(request.body)
    return JsonResponse({"books": _rows(books.find(criteria, {"scan": 0}))})  # expect: nosqli


@require_GET
def lookup_book(request):
    query = {}
    for name in SEARCHABLE:
        if name in request.GET:
            query[name] = request.GET[name]
    return JsonResponse({"books": _rows(books.find(query))})  # ok: nosqli


@require_POST
def stats(request):
    body = json.loads(request.body or b"{}")
    author = body.get("author")
    if not isinstance(author, str):
        return HttpResponseBadRequest("author must be a string")
    total = books.count_documents({"author": author})  # ok: nosqli
    year = body.get("year")
    recent = books.count_documents({"author": author, "year": year})  # expect: nosqli
    return JsonResponse({"total": total, "recent": recent})
