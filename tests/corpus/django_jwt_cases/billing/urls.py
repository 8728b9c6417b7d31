from django.urls import path

from . import views

urlpatterns = [
    path("invoices/<str:number>/preview/", views.invoice_preview),
    path("invoices/<str:number>/status/", views.invoice_status),
    path("invoices/<str:number>/tenant/", views.tenant_invoice),
    path("invoices/<str:number>/export/", views.invoice_export),
    path("badge/", views.customer_badge),
    path("session/expiry/", views.session_expiry),
    path("banner/", views.tenant_banner),
    path("webhooks/payment/", views.payment_webhook),
]
