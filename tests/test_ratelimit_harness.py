"""BL401 in a test suite or demo project: the same finding, at low confidence (it is served
by no deployment), while the project's own URLconf keeps its high one."""
from __future__ import annotations

from backlint.testing import lint_project

URLS = '''\
from django.contrib import admin
from django.urls import path

urlpatterns = [
    path("admin/", admin.site.urls),
]
'''


def test_admin_login_in_a_test_urlconf_is_low(tmp_path):
    files = {
        "pyproject.toml": "[tool.backlint]\n",
        "shop/__init__.py": "",
        "shop/urls.py": URLS,
        "shop/tests/__init__.py": "",
        "shop/tests/urls.py": URLS,
        "test_project/urls.py": URLS,
    }
    found = {(f.path, f.confidence.value) for f in lint_project(tmp_path, files, select=["BL401"]).findings}
    assert found == {("shop/urls.py", "high"), ("shop/tests/urls.py", "low"), ("test_project/urls.py", "low")}, found
