from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),  # expect: rate-limit
    path("", include("django.contrib.auth.urls")),  # expect: rate-limit
]
