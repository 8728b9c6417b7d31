"""Patient portal: patients sign in with their MRN and the access code from their letter."""
from django.contrib.auth.hashers import check_password
from django.core.mail import send_mail
from medgate.throttling import ip_throttle
from rest_framework import status
from rest_framework.decorators import api_view, authentication_classes, permission_classes, throttle_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from clinic.throttles import PortalRateThrottle
from patients.models import Appointment, Patient
from patients.serializers import AppointmentSerializer


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@throttle_classes([PortalRateThrottle])
def portal_login(request):  # ok: rate-limit
    patient = Patient.objects.filter(mrn=request.data.get("mrn", "")).first()
    code = str(request.data.get("access_code", "")).strip().upper()
    if patient is not None and patient.access_code and patient.access_code == code:  # expect: plaintext-password
        request.session["portal_patient_id"] = patient.pk
        return Response({"patient": patient.pk})
    return Response({"detail": "MRN or access code is wrong."}, status=status.HTTP_401_UNAUTHORIZED)


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
@ip_throttle("3/h")
def resend_access_code(request):  # unclear: rate-limit
    patient = Patient.objects.filter(mrn=request.data.get("mrn", "")).exclude(email="").first()
    if patient is not None and patient.access_code:
        send_mail(
            "Your portal access code",
            f"Your access code is {patient.access_code}.",
            None,
            [patient.email],
        )
    return Response(status=status.HTTP_202_ACCEPTED)


@api_view(["POST"])
@authentication_classes([])
@permission_classes([AllowAny])
def kiosk_unlock(request):  # expect: rate-limit
    """The check-in kiosk in the lobby: MRN plus the patient's PIN."""
    patient = Patient.objects.filter(mrn=request.data.get("mrn", "")).first()
    if patient is None or not check_password(str(request.data.get("pin", "")), patient.kiosk_pin_hash):
        return Response(status=status.HTTP_403_FORBIDDEN)
    request.session["kiosk_patient_id"] = patient.pk
    return Response({"patient": patient.pk, "first_name": patient.first_name})


@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def portal_appointments(request):
    patient_id = request.session.get("portal_patient_id")
    if patient_id is None:
        return Response(status=status.HTTP_401_UNAUTHORIZED)
    appointments = Appointment.objects.filter(patient_id=patient_id).order_by("-starts_at")  # expect: pagination
    return Response(AppointmentSerializer(appointments, many=True).data)
