from rest_framework import serializers

from .models import Appointment, Department, Doctor, Patient, Prescription


class DepartmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Department
        fields = ["id", "name", "floor"]


class DoctorSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="user.full_name", read_only=True)
    department = serializers.CharField(source="department.name", read_only=True)

    class Meta:
        model = Doctor
        fields = ["id", "name", "department", "specialty"]


class PatientSerializer(serializers.ModelSerializer):
    class Meta:
        model = Patient
        fields = ["id", "mrn", "first_name", "last_name", "date_of_birth", "email", "primary_doctor", "next_review_due"]


class AppointmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Appointment
        fields = ["id", "patient", "doctor", "starts_at", "status", "reason"]
        read_only_fields = ["status"]


class PrescriptionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Prescription
        fields = ["id", "drug", "dose", "prescribed_at", "prescribed_by"]


class PortalCredentialsSerializer(serializers.Serializer):
    kiosk_pin = serializers.RegexField(r"^\d{4,6}$", write_only=True)
