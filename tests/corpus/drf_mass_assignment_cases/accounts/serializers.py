from rest_framework import serializers

from accounts.models import Profile, Team, User


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = "__all__"  # expect: mass-assignment


class MemberSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = "__all__"  # ok: mass-assignment


class TeamSerializer(serializers.ModelSerializer):
    created_by = serializers.HiddenField(default=serializers.CurrentUserDefault())

    class Meta:
        model = Team
        exclude = ["seats"]  # expect: mass-assignment


class ProfileSerializer(serializers.ModelSerializer):
    class Meta:
        model = Profile
        fields = "__all__"  # ok: mass-assignment
        read_only_fields = ["is_verified"]


class StaffUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "email", "role", "is_staff"]
