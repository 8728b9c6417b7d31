from django.conf import settings
from django.db import models


class Department(models.Model):
    name = models.CharField(max_length=80, unique=True)
    floor = models.PositiveSmallIntegerField()

    def __str__(self):
        return self.name


class Doctor(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="doctor")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="doctors")
    specialty = models.CharField(max_length=80)


class Patient(models.Model):
    mrn = models.CharField("medical record number", max_length=12, unique=True)
    first_name = models.CharField(max_length=80)
    last_name = models.CharField(max_length=80)
    date_of_birth = models.DateField()
    email = models.EmailField(blank=True)
    primary_doctor = models.ForeignKey(Doctor, null=True, blank=True, on_delete=models.SET_NULL)
    # printed on the welcome letter; the patient signs in to the portal with MRN + code
    access_code = models.CharField(max_length=10, blank=True)
    kiosk_pin_hash = models.CharField(max_length=128, blank=True)
    next_review_due = models.DateField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["last_name", "first_name"])]


class Appointment(models.Model):
    class Status(models.TextChoices):
        BOOKED = "booked"
        CHECKED_IN = "checked_in"
        DONE = "done"
        CANCELLED = "cancelled"

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="appointments")
    doctor = models.ForeignKey(Doctor, on_delete=models.PROTECT, related_name="appointments")
    starts_at = models.DateTimeField(db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.BOOKED)
    reason = models.CharField(max_length=200, blank=True)


class Prescription(models.Model):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="prescriptions")
    prescribed_by = models.ForeignKey(Doctor, on_delete=models.PROTECT)
    drug = models.CharField(max_length=120)
    dose = models.CharField(max_length=60)
    prescribed_at = models.DateTimeField(auto_now_add=True)
