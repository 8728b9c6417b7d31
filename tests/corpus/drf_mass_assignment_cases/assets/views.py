from rest_framework import viewsets

from assets.models import AccessPolicy, Device, Reservation
from assets.serializers import AccessPolicySerializer, DeviceSerializer, ReservationSerializer


class DeviceViewSet(viewsets.ModelViewSet):
    queryset = Device.objects.select_related("role")
    serializer_class = DeviceSerializer


class ReservationViewSet(viewsets.ModelViewSet):
    queryset = Reservation.objects.all()
    serializer_class = ReservationSerializer


class AccessPolicyViewSet(viewsets.ModelViewSet):
    queryset = AccessPolicy.objects.prefetch_related("groups")
    serializer_class = AccessPolicySerializer
