import functools
import time

import redis
from pyramid.authentication import AuthTktCookieHelper
from pyramid.authorization import ACLHelper, Allow, Authenticated, Everyone
from pyramid.httpexceptions import HTTPTooManyRequests

from .models import ApiToken, User


def rate_limit(bucket, limit, per_seconds):
    """View decorator: at most ``limit`` calls per client address in ``per_seconds``."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(context, request):
            client = request.registry["redis"]
            key = f"rl:{bucket}:{request.client_addr}:{int(time.time()) // per_seconds}"
            hits = client.incr(key)
            if hits == 1:
                client.expire(key, per_seconds)
            if hits > limit:
                raise HTTPTooManyRequests()
            return view(context, request)

        return wrapper

    return decorator


class WikiSecurityPolicy:
    def __init__(self, secret):
        self.helper = AuthTktCookieHelper(secret, hashalg="sha512")
        self.acl = ACLHelper()

    def identity(self, request):
        header = request.headers.get("Authorization", "")
        if header.startswith("Token "):
            row = request.dbsession.query(ApiToken).filter_by(token=header[6:]).one_or_none()
            return request.dbsession.get(User, row.user_id) if row else None
        identity = self.helper.identify(request)
        if identity is None:
            return None
        return request.dbsession.get(User, int(identity["userid"]))

    def authenticated_userid(self, request):
        user = self.identity(request)
        return user.id if user else None

    def remember(self, request, userid, **kw):
        return self.helper.remember(request, userid, **kw)

    def forget(self, request, **kw):
        return self.helper.forget(request, **kw)

    def permits(self, request, context, permission):
        user = self.identity(request)
        principals = [Everyone]
        if user is not None:
            principals += [Authenticated, f"role:{user.role}"]
        return self.acl.permits(context, principals, permission)


class RootFactory:
    __acl__ = [(Allow, Everyone, "view"), (Allow, Authenticated, "edit"), (Allow, "role:admin", "admin")]

    def __init__(self, request):
        self.request = request


def includeme(config):
    settings = config.get_settings()
    config.registry["redis"] = redis.Redis.from_url(settings["redis.url"])
    config.set_root_factory(RootFactory)
    config.set_security_policy(WikiSecurityPolicy(settings["auth.secret"]))
