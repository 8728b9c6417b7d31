from django.utils import timezone

from .models import Note


def archive_stale(notebook):
    Note.objects.filter(notebook=notebook, archived=False, body="").update(archived=True)


def note_title(note):
    return note.title.strip() or "Untitled"


def touch_note(note):
    note.last_viewed = timezone.now()
    note.save(update_fields=["last_viewed"])
