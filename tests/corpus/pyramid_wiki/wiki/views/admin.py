import csv
import io

from pyramid.httpexceptions import HTTPNoContent, HTTPNotFound
from pyramid.view import view_config

from ..models import User


@view_config(route_name="admin_users", renderer="json", request_method="GET", permission="admin")
def list_users(request):
    users = request.dbsession.query(User).order_by(User.name).all()  # expect: pagination
    return [{"id": u.id, "name": u.name, "email": u.email, "role": u.role} for u in users]


@view_config(route_name="admin_user_password", request_method="POST", permission="admin")
def set_user_password(request):  # ok: rate-limit
    user = request.dbsession.get(User, int(request.matchdict["user_id"]))
    if user is None:
        raise HTTPNotFound()
    user.password = request.json_body["password"]  # ok: plaintext-password
    return HTTPNoContent()


@view_config(route_name="admin_import", renderer="json", request_method="POST", permission="admin")
def import_moin_users(request):
    reader = csv.DictReader(io.StringIO(request.POST["file"].file.read().decode("utf-8")))
    imported = 0
    for row in reader:
        user = User(name=row["name"], email=row["email"].lower(), _password="")  # ok: plaintext-password, hardcoded-secret
        user.legacy_pwd = row["password"]  # expect: plaintext-password
        request.dbsession.add(user)
        imported += 1
    return {"imported": imported}
