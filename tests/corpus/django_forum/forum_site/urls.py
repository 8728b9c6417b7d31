from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),  # expect: rate-limit
    path("api/v1/", include("forum.api.urls")),
    path("", include("forum.urls")),
]
