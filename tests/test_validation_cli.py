"""BL601 through the real CLI: raw request data reaching a model imported from another
module is reported once per handler, with every flow in the evidence; a schema, a
conversion or a splat (mass assignment) keeps the rule silent."""
from __future__ import annotations

from pathlib import Path

from conftest import backlint_json, write

VIEWS = '''\
from flask import Blueprint, request

from .models import Product, db

bp = Blueprint("products", __name__, url_prefix="/api/v1")


@bp.post("/products")
def create_product():
    data = request.get_json()
    name = data["name"].strip()
    product = Product(name=name, price=data.get("price"))
    db.session.add(product)
    db.session.commit()
    return {"id": product.id}, 201


@bp.patch("/products/<int:product_id>")
def update_product(product_id):
    product = Product.query.get_or_404(product_id)
    product.stock = int(request.json["stock"])
    db.session.commit()
    return {"ok": True}


@bp.post("/products/import")
def import_product():
    db.session.add(Product(**request.get_json()))
    db.session.commit()
    return "", 201
'''

SCHEMA_VIEWS = VIEWS.replace('    data = request.get_json()\n', '    data = ProductSchema().load(request.get_json())\n')


def test_flow_into_model_and_schema(project: Path):
    write(project, "shop/__init__.py", "")
    write(project, "shop/models.py", "class Product: ...\n")
    write(project, "shop/views.py", VIEWS)
    code, report = backlint_json("--select", "BL601", cwd=project)
    found = [f for f in report["findings"] if f["rule"] == "BL601"]
    assert code == 1 and len(found) == 1, report
    finding = found[0]
    assert (finding["path"], finding["line"], finding["column"]) == ("shop/views.py", 12, 15)
    assert finding["message"].startswith(
        '`name` (from `request.get_json()`) reaches the `Product(...)` model in `create_product()` (`POST /products`)'
    )
    assert finding["confidence"] == "low" and finding["name"] == "request-data-without-validation"
    flows = [e for e in finding["evidence"] if e.startswith("flow:")]
    assert len(flows) == 2 and 'data.get("price")' in flows[1], finding["evidence"]

    write(project, "shop/views.py", SCHEMA_VIEWS)
    code, report = backlint_json("--select", "BL601", cwd=project)
    assert code == 0 and report["findings"] == [], report


DJANGO_VIEW = '''\
from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .models import Review


@require_POST
def add_review(request, product_id):
    Review.objects.create(product_id=product_id, rating=request.POST["rating"], text=request.POST.get("text", ""))
    return JsonResponse({"ok": True}, status=201)


@require_POST
def add_rating(request, product_id):
    rating = request.POST["rating"]
    if rating not in {"1", "2", "3", "4", "5"}:
        return JsonResponse({"error": "rating"}, status=400)
    Review.objects.create(product_id=product_id, rating=rating)
    return JsonResponse({"ok": True}, status=201)
'''


def test_django_post_and_checked_value(project: Path):
    write(project, "reviews/__init__.py", "")
    write(project, "reviews/models.py", "class Review: ...\n")
    write(project, "reviews/views.py", DJANGO_VIEW)
    code, report = backlint_json("--select", "BL601", cwd=project)
    found = [f for f in report["findings"] if f["rule"] == "BL601"]
    assert [f["line"] for f in found] == [9], report
    assert "`request.POST[\"rating\"]` reaches `Review.objects.create()`" in found[0]["message"]
    assert "`Form`/`ModelForm`" in found[0]["message"]
