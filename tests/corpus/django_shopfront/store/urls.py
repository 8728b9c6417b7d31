from django.urls import path

from . import accounts, views

app_name = "store"

urlpatterns = [
    path("products.json", views.product_feed, name="product_feed"),
    path("catalogue/", views.catalogue, name="catalogue"),
    path("search/", views.search, name="search"),
    path("categories/<int:category_id>/", views.category_products, name="category_products"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("reviews/latest/", views.latest_reviews, name="latest_reviews"),
    path("orders/", views.order_history, name="order_history"),
    path("staff/orders.csv", views.export_orders_csv, name="export_orders"),
    path("login/", accounts.ajax_login, name="login"),
    path("signup/", accounts.signup, name="signup"),
    path("password/change/", accounts.change_password, name="change_password"),
    path("staff/users/<int:user_id>/password/", accounts.staff_set_password, name="staff_set_password"),
    path("staff/users/<int:user_id>/reset-password/", accounts.staff_reset_password, name="staff_reset_password"),
    path("staff/customers/import/", accounts.import_customers, name="import_customers"),
    path("kiosk/<str:label>/unlock/", accounts.kiosk_unlock, name="kiosk_unlock"),
    path("kiosk/<str:label>/code/", accounts.kiosk_set_code, name="kiosk_set_code"),
]
