from pyramid.httpexceptions import HTTPNotFound
from pyramid.view import view_config
from sqlalchemy import func

from ..models import Link, Page, Revision

HISTORY_PAGE_SIZE = 30


@view_config(route_name="health", renderer="json")
def health(request):  # ok: rate-limit
    return {"status": "ok"}


@view_config(route_name="pages", renderer="json", request_method="GET", permission="view")
def list_pages(request):
    pages = request.dbsession.query(Page).order_by(Page.name).all()  # expect: pagination
    return [p.to_json() for p in pages]


@view_config(route_name="page_names", renderer="json", permission="view")
def page_names(request):
    return [name for (name,) in request.dbsession.query(Page.name).order_by(Page.name)]  # expect: pagination


@view_config(route_name="recent_changes", renderer="json", permission="view")
def recent_changes(request):
    revisions = request.dbsession.query(Revision).order_by(Revision.created_at.desc()).limit(50).all()  # ok: pagination
    return [r.to_json() for r in revisions]


@view_config(route_name="page", renderer="json", request_method="GET", permission="view")
def view_page(request):
    page = request.dbsession.query(Page).filter_by(name=request.matchdict["name"]).one_or_none()  # ok: pagination
    if page is None:
        raise HTTPNotFound()
    return {**page.to_json(), "data": page.data}


@view_config(route_name="page_history", renderer="json", permission="view")
def page_history(request):
    page_no = max(int(request.params.get("page", 1)), 1)
    q = (
        request.dbsession.query(Revision)
        .join(Page, Page.id == Revision.page_id)
        .filter(Page.name == request.matchdict["name"])
        .order_by(Revision.created_at.desc())
    )
    total = q.count()
    items = q.offset((page_no - 1) * HISTORY_PAGE_SIZE).limit(HISTORY_PAGE_SIZE).all()  # ok: pagination
    return {"total": total, "page": page_no, "items": [r.to_json() for r in items]}


@view_config(route_name="page_backlinks", renderer="json", permission="view")
def backlinks(request):
    page = request.dbsession.query(Page).filter_by(name=request.matchdict["name"]).one_or_none()
    if page is None:
        raise HTTPNotFound()
    sources = request.dbsession.query(Page).join(Link, Link.source_id == Page.id).filter(Link.target_id == page.id).all()  # expect: pagination
    return [p.to_json() for p in sources]


@view_config(route_name="search", renderer="json", permission="view")
def search(request):
    term = request.params.get("q", "")
    query = request.dbsession.query(Page).filter(func.lower(Page.data).contains(term.lower()))
    hits = query.order_by(Page.updated_at.desc()).limit(25).all()  # ok: pagination
    return [p.to_json() for p in hits]
