from rest_framework import serializers

from assets.models import AccessPolicy, Device, Reservation


class DeviceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Device
        fields = "__all__"  # ok: mass-assignment


class ReservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reservation
        fields = "__all__"  # ok: mass-assignment
        extra_kwargs = {"user": {"required": False, "help_text": "Reserved for; the current user when omitted."}}

    def validate(self, attrs):
        attrs.setdefault("user", self.context["request"].user)
        return attrs


class AccessPolicySerializer(serializers.ModelSerializer):
    class Meta:
        model = AccessPolicy
        fields = "__all__"  # unclear: mass-assignment
