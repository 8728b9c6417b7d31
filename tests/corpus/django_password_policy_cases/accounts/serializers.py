from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from rest_framework import serializers

Member = get_user_model()


class RegisterSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, style={"input_type": "password"})  # expect: password-policy

    class Meta:
        model = Member
        fields = ("username", "email", "password")

    def create(self, validated_data):
        return Member.objects.create_user(**validated_data)


class ChangePasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(write_only=True)  # ok: password-policy
    new_password = serializers.CharField(write_only=True)  # ok: password-policy

    def validate(self, attrs):
        validate_password(attrs["new_password"], self.context["request"].user)
        return attrs


class SetPasswordSerializer(serializers.Serializer):
    token = serializers.CharField()
    new_password = serializers.CharField(write_only=True, min_length=12, max_length=128)  # ok: password-policy


class MemberSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, min_length=6, required=False)  # expect: password-policy

    class Meta:
        model = Member
        fields = ("id", "username", "email", "password")

    def update(self, instance, validated_data):
        password = validated_data.pop("password", None)
        if password:
            instance.set_password(password)
        return super().update(instance, validated_data)


class TokenLoginSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(write_only=True)  # ok: password-policy


class ApiClientSerializer(serializers.Serializer):
    """Credentials of a partner API, stored encrypted: not a user's password."""

    endpoint = serializers.URLField()
    password = serializers.CharField(write_only=True)  # ok: password-policy


class AccountSerializer(serializers.Serializer):
    email = serializers.EmailField()
    password = serializers.CharField(write_only=True, required=False)  # unclear: password-policy


class PasswordResetConfirmSerializer(serializers.Serializer):
    """Hands the new password to Django's SetPasswordForm, which runs the validators."""

    new_password1 = serializers.CharField(max_length=128)  # ok: password-policy
    new_password2 = serializers.CharField(max_length=128)
    uid = serializers.CharField()
    token = serializers.CharField()

    def validate(self, attrs):
        from django.contrib.auth.forms import SetPasswordForm

        self.form = SetPasswordForm(user=self.context["user"], data=attrs)
        if not self.form.is_valid():
            raise serializers.ValidationError(self.form.errors)
        return attrs
