from flask import Blueprint, current_app, render_template, request
from flask_login import current_user, login_required

from ..extensions import db
from ..models import Category, Product
from ..services.orders import latest_orders, order_history

catalog_bp = Blueprint("catalog", __name__)


@catalog_bp.get("/")
def index():
    page = request.args.get("page", 1, type=int)
    products = db.paginate(  # ok: pagination
        db.select(Product).where(Product.active.is_(True)).order_by(Product.name),
        page=page,
        per_page=current_app.config["PRODUCTS_PER_PAGE"],
        max_per_page=100,
    )
    return render_template("catalog/index.html", products=products)


@catalog_bp.get("/c/<slug>")
def category(slug: str):
    cat = db.first_or_404(db.select(Category).filter_by(slug=slug))
    stmt = (
        db.select(Product)
        .where(Product.category_id == cat.id, Product.active.is_(True))
        .order_by(Product.price)
    )
    products = db.session.execute(stmt).scalars().all()  # expect: pagination
    return render_template("catalog/category.html", category=cat, products=products)


@catalog_bp.get("/search")
def search():
    q = request.args.get("q", "").strip()
    if len(q) < 2:
        return render_template("catalog/search.html", q=q, results=[])
    stmt = db.select(Product).where(Product.name.icontains(q)).order_by(Product.name).limit(20)
    results = db.session.execute(stmt).scalars().all()  # ok: pagination
    return render_template("catalog/search.html", q=q, results=results)


@catalog_bp.get("/p/<int:product_id>")
def product_detail(product_id: int):
    product = db.get_or_404(Product, product_id)
    return render_template("catalog/product.html", product=product)


@catalog_bp.get("/account")
@login_required
def account():
    return render_template("account/home.html", recent=latest_orders(current_user.id))


@catalog_bp.get("/account/orders")
@login_required
def my_orders():
    return render_template("account/orders.html", orders=order_history(current_user.id))
