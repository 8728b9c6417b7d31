from django.urls import path

from shopapi.orders import views

urlpatterns = [
    path("api/v1/orders/<int:pk>/status/", views.order_status),
    path("api/widget/basket-count/", views.basket_count),
]
