from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import UserCreationForm

from .models import Member


class SignupForm(UserCreationForm):  # ok: password-policy
    """Django's own form: it runs AUTH_PASSWORD_VALIDATORS (the settings decide)."""

    class Meta(UserCreationForm.Meta):
        model = Member
        fields = ("username", "email")


class InviteAcceptForm(forms.Form):
    display_name = forms.CharField(max_length=80)
    password = forms.CharField(widget=forms.PasswordInput)  # expect: password-policy
    password_again = forms.CharField(widget=forms.PasswordInput)  # ok: password-policy

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("password") != cleaned.get("password_again"):
            raise forms.ValidationError("The passwords differ.")
        return cleaned


class ProfilePasswordForm(forms.ModelForm):
    new_password1 = forms.CharField(widget=forms.PasswordInput, required=False)  # ok: password-policy
    new_password2 = forms.CharField(widget=forms.PasswordInput, required=False)

    class Meta:
        model = Member
        fields = ("display_name",)

    def clean_new_password1(self):
        password = self.cleaned_data.get("new_password1")
        if password:
            password_validation.validate_password(password, self.instance)
        return password


class KioskPinForm(forms.Form):
    pin = forms.CharField(min_length=4, max_length=4, widget=forms.PasswordInput)  # ok: password-policy


class StaffCreateForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(widget=forms.PasswordInput, min_length=6)  # expect: password-policy


class LoginForm(forms.Form):
    username = forms.CharField()
    password = forms.CharField(widget=forms.PasswordInput)  # ok: password-policy


class ProfileForm(forms.ModelForm):
    """Sign-up and profile update (the length check is in the confirmation's hook)."""

    password1 = forms.CharField(widget=forms.PasswordInput)  # ok: password-policy
    password2 = forms.CharField(widget=forms.PasswordInput)

    class Meta:
        model = Member
        fields = ("display_name", "email", "username")

    def clean_password2(self):
        password1 = self.cleaned_data.get("password1")
        password2 = self.cleaned_data.get("password2")
        if password1 != password2:
            raise forms.ValidationError("The passwords differ.")
        if len(password1) < 10:
            raise forms.ValidationError("Use at least 10 characters.")
        return password2
