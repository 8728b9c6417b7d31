from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from rest_framework import viewsets
from rest_framework.decorators import api_view, authentication_classes
from rest_framework.response import Response

from .authentication import CsrfExemptSessionAuthentication
from .models import Appointment
from .serializers import AppointmentSerializer


@method_decorator(csrf_exempt, name="dispatch")  # ok: csrf
class AppointmentViewSet(viewsets.ModelViewSet):  # unclear: pagination
    serializer_class = AppointmentSerializer

    def get_queryset(self):
        return Appointment.objects.filter(patient=self.request.user)

    def perform_create(self, serializer):
        serializer.save(patient=self.request.user)


@csrf_exempt  # ok: csrf
@api_view(["POST"])
@authentication_classes([CsrfExemptSessionAuthentication])
def reschedule(request, pk):
    appointment = Appointment.objects.get(pk=pk, patient=request.user)
    appointment.starts_at = request.data["starts_at"]
    appointment.save()
    return Response({"ok": True})
