from django.urls import path
from rest_framework.routers import DefaultRouter

from . import api

router = DefaultRouter()
router.register("appointments", api.AppointmentViewSet, basename="appointment")

urlpatterns = [path("appointments/<int:pk>/reschedule/", api.reschedule), *router.urls]
