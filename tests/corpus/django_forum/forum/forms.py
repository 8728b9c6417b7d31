from django import forms
from django.contrib.auth.password_validation import validate_password

from .models import Member


class SignupForm(forms.Form):
    email = forms.EmailField()
    username = forms.CharField(max_length=40)
    password1 = forms.CharField(widget=forms.PasswordInput, validators=[validate_password])  # ok: plaintext-password
    password2 = forms.CharField(widget=forms.PasswordInput)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password1") != cleaned.get("password2"):  # ok: plaintext-password
            raise forms.ValidationError("The two passwords differ.")
        if Member.objects.filter(email__iexact=cleaned.get("email", "")).exists():
            raise forms.ValidationError("That address is already registered.")
        return cleaned


class InvitationAcceptForm(forms.Form):
    username = forms.CharField(max_length=40)
    password = forms.CharField(widget=forms.PasswordInput, validators=[validate_password])  # ok: plaintext-password
