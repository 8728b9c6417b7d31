from django.contrib.auth.hashers import make_password
from django.utils.crypto import get_random_string

from .models import Patient

ACCESS_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


def issue_portal_credentials(patient: Patient, kiosk_pin: str) -> str:
    """Give the patient a new portal access code and kiosk PIN; returns the code for the letter."""
    code = get_random_string(10, allowed_chars=ACCESS_CODE_ALPHABET)
    patient.access_code = code  # expect: plaintext-password
    patient.kiosk_pin_hash = make_password(kiosk_pin)  # ok: plaintext-password
    patient.save(update_fields=["access_code", "kiosk_pin_hash"])
    return code
