from django.urls import include, path
from rest_framework.routers import DefaultRouter

from . import api, views

router = DefaultRouter()
router.register("api/v1/notes", api.NoteViewSet, basename="note")

urlpatterns = [
    path("notes/<int:pk>/", views.note_detail, name="note-detail"),
    path("notes/<int:pk>/archive/", views.note_archive, name="note-archive"),
    path("notes/<int:pk>/read/", views.note_read, name="note-read"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note-delete"),
    path("notes/<int:pk>/edit/", views.note_edit, name="note-edit"),
    path("notes/<int:pk>/pin/", views.note_pin, name="note-pin"),
    path("notes/<int:pk>/restore/", views.note_restore, name="note-restore"),
    path("notes/<int:pk>/json/", views.note_json, name="note-json"),
    path("notes/<int:pk>/rename/", views.note_rename, name="note-rename"),
    path("notes/<int:pk>/status/", views.note_status, name="note-status"),
    path("notes/<int:pk>/view/", views.NoteView.as_view(), name="note-view"),
    path("notes/<int:pk>/share/", views.ShareView.as_view(), name="note-share"),
    path("notebooks/<int:pk>/", views.notebook_detail, name="notebook-detail"),
    path("notebooks/<int:pk>/new/", views.note_create, name="note-create"),
    path("notebooks/<int:pk>/purge/", views.notebook_purge, name="notebook-purge"),
    path("notebooks/<int:pk>/clear/", views.notebook_clear, name="notebook-clear"),
    path("notebooks/<int:pk>/tidy/", views.notebook_tidy, name="notebook-tidy"),
    path("notebooks/<int:pk>/rename/", views.NotebookRenameView.as_view(), name="notebook-rename"),
    path("shares/<slug:slug>/accept/", views.accept_share, name="share-accept"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("rpc/", views.rpc, name="rpc"),
    path("api/v1/notebooks/", api.NotebookList.as_view()),
    path("api/v1/notebooks/new/", api.notebook_create),
    path("api/v1/notebooks/<int:pk>/copy/", api.notebook_copy),
    path("api/v1/notes/new/", api.NoteList.as_view()),
    path("api/v1/notes/create/", api.NoteCreate.as_view()),
    path("api/v1/notes/<int:pk>/", api.NoteDetail.as_view()),
    path("api/v1/notes/count/", api.note_count),
    path("api/v1/import/", api.NotebookImportView.as_view()),
    path("", include(router.urls)),
]
