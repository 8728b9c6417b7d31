from rest_framework import serializers


class MemberLookupSerializer(serializers.Serializer):
    card_number = serializers.CharField(max_length=20)
    email = serializers.EmailField(required=False)
