from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api, views

router = DefaultRouter()
router.register("invoices", api.InvoiceViewSet, basename="invoice")

urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/invoices/<str:number>/pay/", api.PayInvoiceView.as_view()),
    path("api/v1/lookup/<str:number>/", api.InvoiceLookupView.as_view()),
    path("invoices/<str:number>/pdf/", views.invoice_pdf),
    path("invoices/<str:number>/pay/", views.pay),
    path("invoices/<str:number>/duplicate/", views.duplicate),
    path("statements/<int:year>/", views.statement),
    path("bank-account/", views.bank_account),
]
