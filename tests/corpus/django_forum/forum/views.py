import secrets
from datetime import timedelta

from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.http import require_http_methods
from django.views.generic import ListView
from django_ratelimit.decorators import ratelimit

from .forms import InvitationAcceptForm, SignupForm
from .models import Board, Invitation, Member, PasswordResetCode, Thread


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="5/m", method="POST", block=True)
def login_view(request):  # ok: rate-limit
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.get_user())
        return redirect("forum:index")
    return render(request, "forum/login.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signup(request):  # expect: rate-limit
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = Member.objects.create_user(
            email=form.cleaned_data["email"],
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password1"],  # ok: plaintext-password
        )
        login(request, member, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("forum:index")
    return render(request, "forum/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate="10/h", method="POST", block=True)
def accept_invitation(request, token):  # ok: rate-limit
    invitation = get_object_or_404(Invitation, token=token, accepted_at__isnull=True)
    form = InvitationAcceptForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = Member.objects.create(
            email=invitation.email,
            username=form.cleaned_data["username"],
            password=form.cleaned_data["password"],  # expect: plaintext-password
        )
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_at"])
        login(request, member, backend="django.contrib.auth.backends.ModelBackend")
        return redirect("forum:index")
    return render(request, "forum/accept_invitation.html", {"form": form, "invitation": invitation})


class PasswordResetRequestView(View):  # expect: rate-limit
    def get(self, request):
        return render(request, "forum/password_reset.html")

    def post(self, request):
        member = Member.objects.filter(email__iexact=request.POST.get("email", "")).first()
        if member is not None:
            code = f"{secrets.randbelow(1_000_000):06d}"
            PasswordResetCode.objects.create(member=member, code=code)  # expect: plaintext-password
            send_mail("Your reset code", f"Your code is {code}", None, [member.email])
        return redirect("forum:password_reset_confirm")


@method_decorator(ratelimit(key="post:email", rate="5/h", method="POST", block=True), name="post")
class PasswordResetConfirmView(View):  # ok: rate-limit
    def get(self, request):
        return render(request, "forum/password_reset_confirm.html")

    def post(self, request):
        since = timezone.now() - timedelta(minutes=30)
        reset = (
            PasswordResetCode.objects.filter(member__email__iexact=request.POST.get("email", ""), created_at__gte=since)
            .select_related("member")
            .order_by("-created_at")
            .first()
        )
        if reset is None or reset.code != request.POST.get("code", ""):  # expect: plaintext-password
            return render(request, "forum/password_reset_confirm.html", {"error": "Invalid code"}, status=400)
        reset.member.set_password(request.POST["password"])  # ok: plaintext-password
        reset.member.save()
        PasswordResetCode.objects.filter(member=reset.member).delete()
        return redirect("forum:login")


@login_required
def change_password(request):  # expect: rate-limit
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        member = form.save()
        update_session_auth_hash(request, member)
        return redirect("forum:index")
    return render(request, "forum/change_password.html", {"form": form})


class ThreadListView(ListView):  # ok: pagination
    template_name = "forum/thread_list.html"
    paginate_by = 30

    def get_queryset(self):
        return Thread.objects.filter(board__slug=self.kwargs["slug"]).select_related("author").order_by("-pinned", "-created_at")


class MemberDirectoryView(LoginRequiredMixin, ListView):  # expect: pagination
    model = Member
    template_name = "forum/members.html"
    ordering = ["username"]


def index(request):
    latest = Thread.objects.select_related("board", "author").order_by("-created_at")[:30]  # ok: pagination
    return render(request, "forum/index.html", {"threads": latest})


def board_json(request, slug):
    board = get_object_or_404(Board, slug=slug)
    paginator = Paginator(board.threads.order_by("-created_at").values("id", "title", "created_at"), 40)  # ok: pagination
    page = paginator.get_page(request.GET.get("page"))
    return JsonResponse({"threads": list(page.object_list), "pages": paginator.num_pages})


def thread_json(request, pk):
    thread = get_object_or_404(Thread, pk=pk)
    posts = list(thread.posts.order_by("created_at").values("id", "body", "author__username", "created_at"))  # expect: pagination
    return JsonResponse({"id": thread.pk, "title": thread.title, "posts": posts})


def latest_threads_json(request):
    latest = Thread.objects.order_by("-created_at").values("id", "title", "board__slug")[:20]  # ok: pagination
    return JsonResponse({"threads": list(latest)})


def invite(request):
    if not request.user.is_authenticated:
        return redirect("forum:login")
    if request.method == "POST":
        Invitation.objects.create(
            email=request.POST["email"],
            invited_by=request.user,
            token=secrets.token_urlsafe(24),  # expect: plaintext-password
        )
    return redirect("forum:index")
