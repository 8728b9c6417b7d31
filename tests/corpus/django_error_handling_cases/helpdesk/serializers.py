from rest_framework import serializers


class RatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)


class TagSerializer(serializers.Serializer):
    tags = serializers.ListField(child=serializers.CharField(max_length=30), max_length=10)
