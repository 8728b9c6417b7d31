from django.shortcuts import get_object_or_404
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action, api_view
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Note, Notebook
from .serializers import ImportSerializer, NotebookSerializer, NoteSerializer


class NotebookList(APIView):
    def get(self, request):
        notebooks = Notebook.objects.filter(owner=request.user).order_by("title")[:50]
        return Response(NotebookSerializer(notebooks, many=True).data)

    def post(self, request):
        serializer = NotebookSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save(owner=request.user)
        return Response(serializer.data)  # expect: http-semantics


class NoteList(APIView):
    def post(self, request):
        serializer = NoteSerializer(data=request.data)
        if not serializer.is_valid():
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)  # ok: http-semantics
        serializer.save()
        return Response(serializer.data, status=status.HTTP_201_CREATED)  # ok: http-semantics


class NoteDetail(APIView):
    def get(self, request, pk):
        note = Note.objects.filter(pk=pk, notebook__owner=request.user).first()
        if note is None:
            return Response({"error": "Note not found"})  # expect: http-semantics
        return Response(NoteSerializer(note).data)

    def put(self, request, pk):
        note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
        serializer = NoteSerializer(note, data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(serializer.data)  # ok: http-semantics


class NotebookImportView(APIView):
    def post(self, request):
        serializer = ImportSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response({"detail": "Import started."})  # ok: http-semantics


class NoteCreate(generics.CreateAPIView):
    serializer_class = NoteSerializer  # ok: http-semantics


class NoteViewSet(viewsets.ModelViewSet):
    serializer_class = NoteSerializer

    def get_queryset(self):
        return Note.objects.filter(notebook__owner=self.request.user)

    def retrieve(self, request, *args, **kwargs):
        note = self.get_object()
        note.archived = False
        note.save()  # expect: http-semantics
        return Response(NoteSerializer(note).data)

    def list(self, request, *args, **kwargs):
        Note.objects.filter(notebook__owner=request.user, body="").delete()  # expect: http-semantics
        return super().list(request, *args, **kwargs)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        note = Note.objects.create(notebook_id=request.data["notebook"], title=serializer.validated_data["title"])
        return Response(NoteSerializer(note).data)  # expect: http-semantics

    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        note = self.get_object()
        note.archived = True
        note.save()  # ok: http-semantics
        return Response({"archived": True})

    @action(detail=False)
    def purge(self, request):
        Note.objects.filter(notebook__owner=request.user, archived=True).delete()  # expect: http-semantics
        return Response({"purged": True})


@api_view(["GET"])
def note_count(request):
    notebook = Notebook.objects.filter(owner=request.user).first()
    if notebook is None:
        return Response({"success": False, "detail": "no notebook"})  # expect: http-semantics
    return Response({"count": Note.objects.filter(notebook=notebook).count()})


@api_view(["POST"])
def notebook_create(request):
    notebook = Notebook.objects.create(owner=request.user, title=request.data.get("title", "Untitled")[:200])
    return Response({"id": notebook.pk})  # expect: http-semantics


@api_view(["POST"])
def notebook_copy(request, pk):
    source = get_object_or_404(Notebook, pk=pk, owner=request.user)
    copy = Notebook.objects.create(owner=request.user, title=source.title)
    return Response({"id": copy.pk}, status=201)  # ok: http-semantics
