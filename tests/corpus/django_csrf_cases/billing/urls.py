from django.urls import path

from . import views

app_name = "billing"
urlpatterns = [
    path("github/", views.github_deploy_hook),
    path("invoices/<int:pk>/pay/", views.pay_invoice),
    path("donate/", views.donate, name="donate"),
]
