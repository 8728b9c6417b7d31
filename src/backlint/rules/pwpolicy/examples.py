"""BL871's good and bad examples (tests and docs). Each example is a whole project of one
file (`example.py`); in a real project the settings modules decide together and the
sign-up code that makes a missing setting matter lives elsewhere."""
from __future__ import annotations

from backlint.finding import Confidence
from backlint.astrule import Invalid, Valid

VALID = [
    Valid(
        """
        INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "shop"]
        AUTH_PASSWORD_VALIDATORS = [
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
            {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
        ]
        """,
        id="django-validators-with-length",
        doc=True,
    ),
    Valid(
        """
        from django.contrib.auth.password_validation import validate_password
        from rest_framework import serializers

        class RegisterSerializer(serializers.Serializer):
            email = serializers.EmailField()
            password = serializers.CharField(write_only=True)

            def validate_password(self, value):
                validate_password(value)
                return value
        """,
        id="drf-validate-password-hook",
        doc=True,
    ),
    Valid(
        """
        from pydantic import BaseModel, Field

        class UserCreate(BaseModel):
            email: str
            password: str = Field(min_length=12, max_length=128)

        class LoginIn(BaseModel):
            email: str
            password: str
        """,
        id="pydantic-min-length-and-a-login-schema",
        note="a login schema checks credentials, it must not impose a length",
    ),
    Valid(
        """
        from fastapi import Query
        from pydantic import BaseModel

        class RegisterUser(BaseModel):
            username: str = Query(default=..., min_length=2, max_length=20)
            password: str = Query(default=..., min_length=8, max_length=50)
        """,
        id="pydantic-fastapi-query-default",
        note="FastAPI's Query is a pydantic FieldInfo: its min_length applies (seen in lnbits)",
    ),
    Valid(
        """
        from flask_wtf import FlaskForm
        from wtforms import PasswordField, StringField
        from wtforms.validators import DataRequired, EqualTo, Length

        class RegistrationForm(FlaskForm):
            username = StringField("Username", validators=[DataRequired()])
            password = PasswordField("Password", validators=[DataRequired(), Length(min=10)])
            password2 = PasswordField("Repeat", validators=[DataRequired(), EqualTo("password")])

        class LoginForm(FlaskForm):
            password = PasswordField("Password", validators=[DataRequired()])
        """,
        id="wtforms-length-and-login",
    ),
    Valid(
        """
        from django.contrib.auth.forms import SetPasswordForm
        from rest_framework import serializers

        class PasswordChangeSerializer(serializers.Serializer):
            new_password1 = serializers.CharField(max_length=128)
            new_password2 = serializers.CharField(max_length=128)
            set_password_form_class = SetPasswordForm

            def validate(self, attrs):
                self.form = self.set_password_form_class(user=self.context["request"].user, data=attrs)
                if not self.form.is_valid():
                    raise serializers.ValidationError(self.form.errors)
                return attrs
        """,
        id="drf-hands-the-password-to-set-password-form",
        note="Django's SetPasswordForm runs AUTH_PASSWORD_VALIDATORS (seen in dj-rest-auth)",
    ),
    Valid(
        """
        class TestingConfig:
            TESTING = True
            SECURITY_PASSWORD_LENGTH_MIN = 1
        """,
        id="flask-security-testing-config",
        note="test configuration relaxes the policy for fixtures",
    ),
    Valid(
        """
        from pydantic import BaseModel

        class SmtpSettings(BaseModel):
            host: str
            password: str

        class ChangePassword(BaseModel):
            old_password: str
            new_password: PasswordStr
        """,
        id="pydantic-other-credentials-and-custom-types",
        note="a service's password is not a user's; a custom type may carry the check",
    ),
    Valid(
        """
        import os

        INSTALLED_APPS = ["django.contrib.contenttypes", "api"]
        ROOT_URLCONF = "api.urls"
        """,
        id="django-without-auth-app",
        note="no django.contrib.auth and no code that sets passwords: nobody chooses one",
    ),
]

INVALID = [
    Invalid(
        """
        SECRET_KEY = "x"
        INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth", "shop"]
        AUTH_PASSWORD_VALIDATORS = []
        """,
        id="django-empty-validators",
        at=(3, 1),
        message="`AUTH_PASSWORD_VALIDATORS = []` turns Django's password validation off",
        confidence=Confidence.HIGH,
        doc=True,
    ),
    Invalid(
        """
        INSTALLED_APPS = ["django.contrib.auth"]
        AUTH_PASSWORD_VALIDATORS = [
            {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 6}},
        ]
        """,
        id="django-short-minimum",
        at=(2, 1),
        message="`min_length` 6, below 8",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        \"\"\"Settings of the shop.\"\"\"
        INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "accounts"]

        def signup(form):
            user = form.save(commit=False)
            user.set_password(form.cleaned_data["password"])
        """,
        id="django-missing-validators-with-signup-code",
        at=(1, 1),
        message="sets no `AUTH_PASSWORD_VALIDATORS`",
        confidence=Confidence.MEDIUM,
    ),
    Invalid(
        """
        INSTALLED_APPS = ["django.contrib.admin", "django.contrib.auth"]
        ROOT_URLCONF = "site.urls"
        """,
        id="django-missing-validators-admin-only",
        at=(1, 1),
        confidence=Confidence.LOW,
    ),
    Invalid(
        """
        from django.contrib.auth import get_user_model
        from rest_framework import serializers

        class RegisterSerializer(serializers.ModelSerializer):
            password = serializers.CharField(write_only=True)

            class Meta:
                model = get_user_model()
                fields = ["username", "email", "password"]

            def create(self, validated_data):
                return get_user_model().objects.create_user(**validated_data)
        """,
        id="drf-register-without-length",
        at=(5, 5),
        message="`RegisterSerializer.password` takes a new password with no length check",
        confidence=Confidence.MEDIUM,
        doc=True,
    ),
    Invalid(
        """
        from typing import Optional

        from pydantic import BaseModel, Field

        class UserBase(BaseModel):
            email: str

        class UserCreate(UserBase):
            password: str

        class PasswordReset(BaseModel):
            token: str
            new_password: Optional[str] = Field(None, min_length=4)
        """,
        id="pydantic-create-and-short-reset",
        at=(9, 5),
        count=2,
        message="`UserCreate.password` takes a new password",
        confidence=Confidence.MEDIUM,
    ),
    Invalid(
        """
        from flask_wtf import FlaskForm
        from wtforms import PasswordField
        from wtforms.validators import DataRequired, Length

        class ChangePasswordForm(FlaskForm):
            old_password = PasswordField("Current", validators=[DataRequired()])
            new_password = PasswordField("New", validators=[DataRequired(), Length(min=4, max=64)])
        """,
        id="wtforms-short-length",
        at=(7, 5),
        message="`Length(min=4)`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        class ProductionConfig:
            SECURITY_PASSWORD_HASH = "argon2"
            SECURITY_PASSWORD_LENGTH_MIN = 6
        """,
        id="flask-security-short-minimum",
        at=(3, 5),
        message="`SECURITY_PASSWORD_LENGTH_MIN = 6`",
        confidence=Confidence.HIGH,
    ),
    Invalid(
        """
        from django import forms

        class SignupForm(forms.Form):
            email = forms.EmailField()
            password1 = forms.CharField(widget=forms.PasswordInput)
            password2 = forms.CharField(widget=forms.PasswordInput)
        """,
        id="django-form-signup-without-length",
        at=(5, 5),
        message="`SignupForm.password1`",
        confidence=Confidence.MEDIUM,
    ),
]
