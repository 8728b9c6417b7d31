from django.contrib.auth.decorators import login_required
from django.http import HttpResponseNotAllowed, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.contrib.auth.mixins import LoginRequiredMixin
from django.views import View
from django.views.decorators.http import require_GET, require_http_methods, require_POST, require_safe

from .forms import NoteForm
from .models import Note, Notebook, Reader, Share
from .services import archive_stale


@login_required
@require_GET
def note_detail(request, pk):
    note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
    return render(request, "notes/detail.html", {"note": note})


@login_required
@require_GET
def note_archive(request, pk):
    note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
    note.archived = True
    note.save()  # expect: http-semantics
    return redirect("note-detail", pk=pk)


@login_required
@require_safe
def notebook_purge(request, pk):
    notebook = get_object_or_404(Notebook, pk=pk, owner=request.user)
    Note.objects.filter(notebook=notebook, archived=True).delete()  # expect: http-semantics
    return redirect("notebook-detail", pk=pk)


@login_required
@require_POST
def note_delete(request, pk):
    note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
    note.delete()  # ok: http-semantics
    return redirect("notebook-detail", pk=note.notebook_id)


@login_required
@require_GET
def note_read(request, pk):
    note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
    note.view_count += 1
    note.save(update_fields=["view_count"])  # unclear: http-semantics
    return render(request, "notes/detail.html", {"note": note})


@login_required
@require_GET
def dashboard(request):
    reader, _ = Reader.objects.get_or_create(user=request.user)  # unclear: http-semantics
    return render(request, "notes/dashboard.html", {"reader": reader})


@login_required
@require_http_methods(["GET", "POST"])
def note_edit(request, pk):
    note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
    if request.method == "POST":
        form = NoteForm(request.POST, instance=note)
        if form.is_valid():
            form.save()  # ok: http-semantics
            return redirect("note-detail", pk=pk)
    else:
        form = NoteForm(instance=note)
    return render(request, "notes/edit.html", {"form": form, "note": note})


@login_required
def note_pin(request, pk):
    note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
    if request.method == "GET":
        note.archived = False
        note.save()  # expect: http-semantics
        return redirect("note-detail", pk=pk)
    return render(request, "notes/pin.html", {"note": note})


@login_required
def note_restore(request, pk):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
    note.archived = False
    note.save()  # ok: http-semantics
    return redirect("note-detail", pk=pk)


@login_required
def note_create(request, pk):
    notebook = get_object_or_404(Notebook, pk=pk, owner=request.user)
    form = NoteForm(request.POST or None)
    if form.is_valid():
        note = form.save(commit=False)
        note.notebook = notebook
        note.save()  # ok: http-semantics
        return redirect("note-detail", pk=note.pk)
    return render(request, "notes/edit.html", {"form": form})


@login_required
def notebook_clear(request, pk):
    notebook = get_object_or_404(Notebook, pk=pk, owner=request.user)
    Note.objects.filter(notebook=notebook).delete()  # unclear: http-semantics
    return redirect("notebook-detail", pk=pk)


@login_required
def accept_share(request, slug):
    share = get_object_or_404(Share, slug=slug)
    if request.method == "GET":
        share.accepted = True
        share.save()  # unclear: http-semantics
    return redirect("note-detail", pk=share.note_id)


@login_required
@require_GET
def notebook_tidy(request, pk):
    notebook = get_object_or_404(Notebook, pk=pk, owner=request.user)
    archive_stale(notebook)  # ok: http-semantics
    return redirect("notebook-detail", pk=pk)


def _stamp_reader(user):
    Reader.objects.filter(user=user).update(last_seen=timezone.now())


def _forget(notebook):
    Note.objects.filter(notebook=notebook, archived=True).delete()


@login_required
@require_GET
def notebook_detail(request, pk):
    notebook = get_object_or_404(Notebook, pk=pk, owner=request.user)
    _forget(notebook)  # unclear: http-semantics
    return render(request, "notes/notebook.html", {"notebook": notebook, "title": notebook.title})


@login_required
@require_GET
def note_json(request, pk):
    note = Note.objects.filter(pk=pk, notebook__owner=request.user).first()
    if note is None:
        return JsonResponse({"error": "no such note"})  # expect: http-semantics
    return JsonResponse({"id": note.pk, "title": note.title})


@login_required
@require_POST
def note_rename(request, pk):
    note = Note.objects.filter(pk=pk, notebook__owner=request.user).first()
    if note is None:
        return JsonResponse({"error": "no such note"}, status=404)  # ok: http-semantics
    title = request.POST.get("title", "").strip()
    if not title:
        return JsonResponse({"ok": False, "message": "a title is required"})  # expect: http-semantics
    note.title = title[:200]
    note.save()
    return JsonResponse({"ok": True})  # ok: http-semantics


@login_required
@require_GET
def note_status(request, pk):
    note = Note.objects.filter(pk=pk, notebook__owner=request.user).first()
    errors = [] if note else ["missing"]
    return JsonResponse({"errors": errors, "archived": bool(note and note.archived)})  # ok: http-semantics


@login_required
def rpc(request):
    return JsonResponse({"jsonrpc": "2.0", "id": None, "error": {"code": -32600, "message": "Invalid Request"}})  # ok: http-semantics


class NoteView(LoginRequiredMixin, View):
    def get(self, request, pk):
        note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
        note.last_viewed = timezone.now()
        note.save()  # unclear: http-semantics
        return render(request, "notes/detail.html", {"note": note})

    def post(self, request, pk):
        note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
        form = NoteForm(request.POST, instance=note)
        if form.is_valid():
            form.save()  # ok: http-semantics
        return redirect("note-detail", pk=pk)


class ShareView(LoginRequiredMixin, View):
    def get(self, request, pk):
        note = get_object_or_404(Note, pk=pk, notebook__owner=request.user)
        Share.objects.create(note=note, slug=f"note-{note.pk}")  # expect: http-semantics
        return redirect("note-detail", pk=pk)


class NotebookRenameView(LoginRequiredMixin, View):
    def get(self, request, pk):
        notebook = get_object_or_404(Notebook, pk=pk, owner=request.user)
        _stamp_reader(request.user)  # unclear: http-semantics
        return render(request, "notes/notebook_rename.html", {"notebook": notebook})
