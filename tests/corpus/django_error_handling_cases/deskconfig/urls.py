from django.urls import path

from helpdesk import api, views

urlpatterns = [
    path("tickets/<int:pk>/close/", views.close_ticket, name="close-ticket"),
    path("tickets/<int:pk>/close-quietly/", views.close_ticket_quietly),
    path("tickets/<int:pk>/assign/", views.assign_ticket),
    path("tickets/<int:pk>/reopen/", views.reopen_ticket),
    path("tickets/<int:pk>/watch/", views.watch_ticket),
    path("tickets/<int:pk>/comment/", views.add_comment),
    path("tickets/<int:pk>/escalate/", views.escalate_ticket),
    path("tickets/<int:pk>/archive/", views.archive_ticket),
    path("tickets/<int:pk>/merge/", views.MergeTicketView.as_view()),
    path("profile/theme/", views.set_theme),
    path("profile/avatar/", views.upload_avatar),
    path("api/v1/tickets/<int:pk>/rate/", api.rate_ticket),
    path("api/v1/tickets/<int:pk>/tags/", api.TicketTagsView.as_view()),
    path("api/v1/tickets/<int:pk>/notify/", api.notify_customer),
    path("api/v1/tickets/<int:pk>/sync/", api.sync_ticket),
    path("api/v1/logout-everywhere/", api.logout_everywhere),
]
