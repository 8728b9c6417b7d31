import logging
from contextlib import suppress

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.db import DatabaseError, IntegrityError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_POST

from .forms import AssignForm, AvatarForm, CommentForm
from .models import Comment, Preference, Ticket, TicketEvent, Watcher

logger = logging.getLogger(__name__)


@login_required
@require_POST
def close_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk, assignee=request.user)
    ticket.status = "closed"
    try:
        ticket.save()
    except Exception:  # expect: error-handling
        pass
    messages.success(request, "Ticket closed.")
    return redirect("ticket-detail", pk=pk)


@login_required
@require_POST
def close_ticket_quietly(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk, assignee=request.user)
    try:
        Ticket.objects.filter(pk=ticket.pk).update(status="closed")
    except:  # expect: error-handling
        return JsonResponse({"status": "success"})
    return JsonResponse({"status": "success"})


@login_required
@require_POST
def assign_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    form = AssignForm(request.POST, instance=ticket)
    if not form.is_valid():
        return render(request, "helpdesk/assign.html", {"form": form}, status=400)
    try:
        form.save()
    except DatabaseError:  # ok: error-handling
        logger.exception("could not assign ticket %s", pk)
        return JsonResponse({"error": "could not assign the ticket"}, status=503)
    return JsonResponse({"ok": True})


@login_required
@require_POST
def reopen_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    ticket.status = "open"
    try:
        ticket.save()
    except Exception:  # ok: error-handling
        logger.exception("could not reopen ticket %s", pk)
        messages.error(request, "The ticket could not be reopened, please try again.")
    return redirect("ticket-detail", pk=pk)


@login_required
@require_POST
def watch_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    try:
        Watcher.objects.create(ticket=ticket, user=request.user)
    except IntegrityError:  # ok: error-handling
        pass  # already watching
    return JsonResponse({"ok": True})


@login_required
@require_POST
def add_comment(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        return render(request, "helpdesk/comment.html", {"form": form}, status=400)
    comment = form.save(commit=False)
    comment.ticket = ticket
    comment.author = request.user
    comment.save()
    try:
        send_mail("New comment", comment.body, "desk@example.com", [ticket.assignee.email])
    except Exception:  # unclear: error-handling
        pass
    try:
        TicketEvent.objects.create(ticket=ticket, kind="commented")
    except Exception:  # ok: error-handling
        pass
    return redirect("ticket-detail", pk=pk)


@login_required
@require_POST
def escalate_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    try:
        ticket.priority = 1
        ticket.save(update_fields=["priority"])
    except Exception as exc:  # ok: error-handling
        logger.warning("escalation of ticket %s failed: %s", pk, exc)
        return HttpResponse("could not escalate", status=500)
    return HttpResponse(status=204)


@login_required
@require_POST
def archive_ticket(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    try:
        ticket.delete()
    except Exception:  # expect: error-handling
        return HttpResponse(status=204)
    return HttpResponse(status=204)


@login_required
def ticket_detail(request, pk):
    ticket = get_object_or_404(Ticket, pk=pk)
    try:
        ticket.views += 1
        ticket.save(update_fields=["views"])
    except Exception:  # ok: error-handling
        pass
    return render(request, "helpdesk/detail.html", {"ticket": ticket})


@login_required
@require_POST
def set_theme(request):
    theme = request.POST.get("theme", "light")
    if theme not in ("light", "dark"):
        return HttpResponse("unknown theme", status=400)
    with suppress(Exception):  # expect: error-handling
        Preference.objects.update_or_create(user=request.user, defaults={"theme": theme})
    return JsonResponse({"ok": True})


@login_required
@require_POST
def upload_avatar(request):
    form = AvatarForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "helpdesk/avatar.html", {"form": form}, status=400)
    preference, _ = Preference.objects.get_or_create(user=request.user)
    old = preference.avatar
    preference.avatar = form.cleaned_data["avatar"]
    preference.save()
    if old:
        try:
            old.delete(save=False)
        except Exception:  # ok: error-handling
            pass
    return redirect("profile")


@method_decorator(login_required, name="dispatch")
class MergeTicketView(View):
    def post(self, request, pk):
        source = get_object_or_404(Ticket, pk=pk)
        target = get_object_or_404(Ticket, pk=request.POST.get("into"))
        try:
            Comment.objects.filter(ticket=source).update(ticket=target)
        except Exception:  # expect: error-handling
            pass
        return redirect("ticket-detail", pk=target.pk)


def page_number(request):
    try:
        return max(int(request.GET.get("page", "1")), 1)
    except Exception:  # ok: error-handling
        return 1
