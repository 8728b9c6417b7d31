import secrets

from django.contrib.auth.hashers import make_password
from rest_framework import serializers

from .models import ApiClient, Board, Invitation, Member, Post, Thread


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = Member
        fields = ["id", "username", "signature", "date_joined"]


class SignupSerializer(serializers.ModelSerializer):
    password = serializers.CharField(write_only=True, min_length=10)  # ok: plaintext-password

    class Meta:
        model = Member
        fields = ["email", "username", "password"]

    def create(self, validated_data):
        return Member.objects.create_user(**validated_data)  # ok: plaintext-password


class PasswordChangeSerializer(serializers.Serializer):
    old_password = serializers.CharField()  # ok: plaintext-password
    new_password = serializers.CharField(min_length=10)  # ok: plaintext-password

    def validate_old_password(self, value):
        if not self.context["request"].user.check_password(value):  # ok: plaintext-password
            raise serializers.ValidationError("Wrong password.")
        return value


class BoardSerializer(serializers.ModelSerializer):
    class Meta:
        model = Board
        fields = ["id", "name", "slug"]


class ThreadSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = Thread
        fields = ["id", "board", "title", "author", "pinned", "created_at"]


class PostSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = Post
        fields = ["id", "thread", "author", "body", "created_at"]


class InvitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Invitation
        fields = ["id", "email", "created_at", "accepted_at"]
        read_only_fields = ["created_at", "accepted_at"]

    def create(self, validated_data):
        return Invitation.objects.create(
            invited_by=self.context["request"].user,
            token=secrets.token_urlsafe(24),  # expect: plaintext-password
            **validated_data,
        )


class ApiClientSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiClient
        fields = ["id", "name", "key_prefix", "created_at"]
        read_only_fields = ["key_prefix", "created_at"]

    def create(self, validated_data):
        raw_key = secrets.token_urlsafe(32)
        client = ApiClient.objects.create(
            owner=self.context["request"].user,
            key_prefix=raw_key[:8],
            key_hash=make_password(raw_key),  # ok: plaintext-password
            **validated_data,
        )
        client.raw_key = raw_key
        return client
