import csv
import io

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth import authenticate, login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from .models import KioskTerminal


@require_POST
def ajax_login(request):  # ok: rate-limit
    user = authenticate(request, username=request.POST.get("username", ""), password=request.POST.get("password", ""))
    if user is None:
        return JsonResponse({"error": "invalid credentials"}, status=401)
    login(request, user)
    return JsonResponse({"ok": True})


@require_POST
@ratelimit(key="ip", rate="3/h", block=True)
def signup(request):  # ok: rate-limit
    email = request.POST["email"].strip().lower()
    if request.POST["password"] != request.POST["password_again"]:  # ok: plaintext-password
        return JsonResponse({"error": "passwords differ"}, status=400)
    if User.objects.filter(username=email).exists():
        return JsonResponse({"error": "already registered"}, status=409)
    user = User.objects.create(
        username=email,
        email=email,
        password=request.POST["password"],  # expect: plaintext-password
    )
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    return JsonResponse({"id": user.pk}, status=201)


@login_required
@require_POST
@ratelimit(key="user", rate="5/h", block=True)
def change_password(request):  # ok: rate-limit
    if not request.user.check_password(request.POST.get("old_password", "")):  # ok: plaintext-password
        return JsonResponse({"error": "wrong password"}, status=403)
    User.objects.filter(pk=request.user.pk).update(password=make_password(request.POST["new_password"]))  # ok: plaintext-password
    request.user.refresh_from_db()
    update_session_auth_hash(request, request.user)
    return HttpResponse(status=204)


@staff_member_required
@require_POST
def staff_set_password(request, user_id):  # ok: rate-limit
    User.objects.filter(pk=user_id).update(password=request.POST["password"])  # expect: plaintext-password
    return HttpResponse(status=204)


@staff_member_required
@require_POST
def staff_reset_password(request, user_id):  # ok: rate-limit
    user = get_object_or_404(User, pk=user_id)
    user.set_password(request.POST["password"])  # ok: plaintext-password
    user.save(update_fields=["password"])
    return HttpResponse(status=204)


@staff_member_required
@require_POST
def import_customers(request):
    reader = csv.DictReader(io.TextIOWrapper(request.FILES["file"], encoding="utf-8"))
    created = 0
    for row in reader:
        User.objects.create(
            username=row["email"],
            email=row["email"],
            password=row["password_digest"],  # unclear: plaintext-password
        )
        created += 1
    return JsonResponse({"created": created})


@require_POST
def kiosk_unlock(request, label):  # expect: rate-limit
    terminal = get_object_or_404(KioskTerminal, label=label)
    if request.POST.get("code", "") != terminal.unlock_pwd:  # expect: plaintext-password
        return JsonResponse({"unlocked": False}, status=403)
    terminal.last_seen = timezone.now()
    terminal.save(update_fields=["last_seen"])
    return JsonResponse({"unlocked": True})


@staff_member_required
@require_POST
def kiosk_set_code(request, label):
    terminal = get_object_or_404(KioskTerminal, label=label)
    terminal.unlock_pwd = request.POST["code"]  # expect: plaintext-password
    terminal.save(update_fields=["unlock_pwd"])
    return HttpResponse(status=204)
