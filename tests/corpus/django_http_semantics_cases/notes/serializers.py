from rest_framework import serializers

from .models import Note, Notebook


class NoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Note
        fields = ["id", "title", "body", "archived"]


class NotebookSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notebook
        fields = ["id", "title"]


class ImportSerializer(serializers.Serializer):
    url = serializers.URLField()

    def save(self, **kwargs):
        from .tasks import import_notebook

        import_notebook.delay(self.context["request"].user.pk, self.validated_data["url"])
