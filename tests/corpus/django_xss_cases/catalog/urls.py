from django.urls import path

from catalog import views

urlpatterns = [
    path("search/", views.search),
    path("greet/", views.greet),
    path("greet-safe/", views.greet_safe),
    path("banner/", views.banner),
    path("preview/", views.preview_snippet),
    path("export/", views.export_csv),
    path("echo/", views.echo_message),
    path("products/<slug:slug>/", views.product_detail),
    path("notice/", views.notice),
]
