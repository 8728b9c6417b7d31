"""Which library's fix a password finding recommends: the web framework the file is
written against decides over libraries it also imports."""
from __future__ import annotations

import pytest

from backlint.knowledge.passwords import framework_of


@pytest.mark.parametrize(
    ("imports", "expected"),
    [
        (["flask.request", "django.db.connection"], "flask"),  # a Flask view using Django's ORM
        (["fastapi.APIRouter", "passlib.context.CryptContext"], "fastapi"),
        (["django.contrib.auth.get_user_model", "rest_framework.views.APIView"], "django"),
        (["werkzeug.security.generate_password_hash"], "flask"),
        (["sqlalchemy.orm.Session"], "default"),
    ],
)
def test_framework_of(imports, expected):
    assert framework_of(imports) == expected
