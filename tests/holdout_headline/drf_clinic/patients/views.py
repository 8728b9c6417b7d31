from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Appointment, Department, Doctor, Patient, Prescription
from .permissions import IsClinicalStaff
from .serializers import (
    AppointmentSerializer,
    DepartmentSerializer,
    DoctorSerializer,
    PatientSerializer,
    PortalCredentialsSerializer,
    PrescriptionSerializer,
)
from .services import issue_portal_credentials


class PatientViewSet(viewsets.ModelViewSet):  # ok: pagination
    serializer_class = PatientSerializer
    permission_classes = [IsClinicalStaff]

    def get_queryset(self):
        return Patient.objects.select_related("primary_doctor").order_by("last_name", "first_name")

    @action(detail=False, methods=["get"])
    def overdue(self, request):
        patients = self.get_queryset().filter(next_review_due__lt=timezone.localdate())  # expect: pagination
        return Response(self.get_serializer(patients, many=True).data)

    @action(detail=False, methods=["get"])
    def search(self, request):
        term = request.query_params.get("q", "").strip()
        patients = self.get_queryset().filter(Q(last_name__icontains=term) | Q(mrn=term))  # ok: pagination
        page = self.paginate_queryset(patients)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @action(detail=True, methods=["post"], url_path="portal-credentials")
    def portal_credentials(self, request, pk=None):
        patient = self.get_object()
        serializer = PortalCredentialsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = issue_portal_credentials(patient, serializer.validated_data["kiosk_pin"])
        return Response({"access_code": code}, status=status.HTTP_201_CREATED)


class AppointmentViewSet(viewsets.ReadOnlyModelViewSet):  # ok: pagination
    serializer_class = AppointmentSerializer
    permission_classes = [IsClinicalStaff]

    def get_queryset(self):
        return Appointment.objects.select_related("patient", "doctor").order_by("-starts_at")

    @action(detail=False)
    def upcoming(self, request):
        appointments = self.get_queryset().filter(starts_at__gte=timezone.now()).order_by("starts_at")[:50]  # ok: pagination
        return Response(self.get_serializer(appointments, many=True).data)


class DepartmentListView(generics.ListAPIView):  # unclear: pagination
    """The booking form wants every department at once; the clinic has eight."""

    queryset = Department.objects.order_by("name")
    serializer_class = DepartmentSerializer
    pagination_class = None


class PrescriptionHistoryView(generics.ListAPIView):  # expect: pagination
    serializer_class = PrescriptionSerializer
    permission_classes = [IsClinicalStaff]
    pagination_class = None  # the chart widget draws the whole history

    def get_queryset(self):
        return Prescription.objects.filter(patient_id=self.kwargs["patient_id"]).order_by("-prescribed_at")


class DoctorScheduleView(APIView):
    permission_classes = [IsClinicalStaff]

    def get(self, request, pk):
        doctor = get_object_or_404(Doctor, pk=pk)
        appointments = Appointment.objects.filter(doctor=doctor, starts_at__date__gte=timezone.localdate()).order_by("starts_at")  # expect: pagination
        return Response(AppointmentSerializer(appointments, many=True).data)


@api_view(["GET"])
def clinician_directory(request):
    doctors = Doctor.objects.select_related("user", "department").order_by("user__full_name")[:100]  # ok: pagination
    return Response(DoctorSerializer(doctors, many=True).data)
