from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("products", api.ProductViewSet, basename="product")
router.register("orders", api.OrderViewSet, basename="order")

urlpatterns = [
    path("auth/token/", api.TokenLoginView.as_view(), name="api-token"),
    path("auth/mobile-login/", api.MobileLoginView.as_view(), name="api-mobile-login"),
    path("auth/signup/", api.CustomerSignupView.as_view(), name="api-signup"),
    path("auth/password/", api.PasswordChangeAPIView.as_view(), name="api-password"),
    path("categories/", api.CategoryListView.as_view(), name="api-categories"),
    path("products/<int:product_id>/reviews/", api.ReviewListView.as_view(), name="api-reviews"),
    path("products/<int:pk>/all-reviews/", api.product_reviews, name="api-product-reviews"),
    path("products/top/", api.top_products, name="api-top-products"),
    path("products/sku/<str:sku>/", api.product_by_sku, name="api-product-sku"),
    path("staff/orders/", api.StaffOrderListView.as_view(), name="api-staff-orders"),
    path("", include(router.urls)),
]
