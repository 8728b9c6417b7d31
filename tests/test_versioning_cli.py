"""BL701 through the real CLI: reported once for a project whose API routes (in several
modules) carry no version, on its first API route; a versioned prefix declared in another
module settles it (the facts are part of every file's cache key); HTML sites are silent."""
from __future__ import annotations

from pathlib import Path

from conftest import backlint_json, write

ITEMS = '''\
from fastapi import APIRouter

router = APIRouter()


@router.get("/items")
def list_items():
    return []


@router.post("/items")
def create_item():
    return {"id": 1}
'''

USERS = ITEMS.replace("items", "users").replace("item", "user")

MAIN = '''\
from fastapi import FastAPI

from .routers import items, users

app = FastAPI()
app.include_router(items.router, prefix="{prefix}")
app.include_router(users.router, prefix="{prefix}")
'''


def test_once_per_project_and_a_prefix_in_another_module(project: Path):
    write(project, "app/__init__.py", "")
    write(project, "app/routers/__init__.py", "")
    write(project, "app/routers/items.py", ITEMS)
    write(project, "app/routers/users.py", USERS)
    write(project, "app/main.py", MAIN.replace("{prefix}", "/api"))
    code, report = backlint_json("--select", "BL701", cwd=project)
    found = [f for f in report["findings"] if f["rule"] == "BL701"]
    assert code == 1 and len(found) == 1, report
    finding = found[0]
    assert (finding["path"], finding["line"], finding["column"]) == ("app/routers/items.py", 6, 2)
    assert finding["confidence"] == "low" and finding["checklist"] == "api-versioning"
    assert "`/items`" in finding["message"] and "`/users`" in finding["evidence"][0]

    # only main.py changes: the cached result of items.py must not survive it
    write(project, "app/main.py", MAIN.replace("{prefix}", "/api/v1"))
    code, report = backlint_json("--select", "BL701", cwd=project)
    assert code == 0 and report["findings"] == [], report


SITE = '''\
from django.shortcuts import render
from django.http import JsonResponse
from django.urls import path


def home(request):
    return render(request, "home.html")


def shop(request):
    return render(request, "shop.html")


def cart_count(request):
    return JsonResponse({"count": 2})


urlpatterns = [path("", home), path("shop/", shop), path("cart/count/", cart_count)]
'''


def test_a_site_with_a_little_json_is_not_an_api(project: Path):
    write(project, "site/__init__.py", "")
    write(project, "site/urls.py", SITE)
    code, report = backlint_json("--select", "BL701", cwd=project)
    assert code == 0 and report["findings"] == [], report
