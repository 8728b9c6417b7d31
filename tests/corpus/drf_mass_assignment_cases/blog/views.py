from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import CreateView, UpdateView
from rest_framework import viewsets

from blog.forms import DraftForm, ModeratorNoteForm, PostForm, ShareForm
from blog.models import Bookmark, Category, Comment, Post, Tag
from blog.serializers import BookmarkSerializer, CategorySerializer, CommentSerializer, PostSerializer, PostWriteSerializer


class PostViewSet(viewsets.ModelViewSet):
    queryset = Post.objects.filter(is_published=True)

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return PostWriteSerializer
        return PostSerializer

    def perform_create(self, serializer):
        serializer.save(author=self.request.user)


class CommentViewSet(viewsets.ModelViewSet):
    queryset = Comment.objects.all()
    serializer_class = CommentSerializer

    def perform_create(self, serializer):
        serializer.save(user=self.request.user)

    def perform_update(self, serializer):
        serializer.save(user=self.request.user)


class CategoryViewSet(viewsets.ModelViewSet):
    queryset = Category.objects.all()
    serializer_class = CategorySerializer


class BookmarkViewSet(viewsets.ModelViewSet):
    serializer_class = BookmarkSerializer
    http_method_names = ["get", "post", "delete"]

    def get_queryset(self):
        return Bookmark.objects.filter(owner=self.request.user)

    def perform_create(self, serializer):
        serializer.save(owner=self.request.user)


class PostCreate(LoginRequiredMixin, CreateView):
    model = Post
    fields = "__all__"  # unclear: mass-assignment
    template_name = "blog/post_form.html"


class PostEdit(LoginRequiredMixin, UpdateView):
    model = Post
    form_class = PostForm
    template_name = "blog/post_form.html"


class TagCreate(LoginRequiredMixin, CreateView):
    model = Tag
    fields = "__all__"  # ok: mass-assignment
    template_name = "blog/tag_form.html"


def edit_draft(request, pk):  # ok: authz
    post = get_object_or_404(Post, pk=pk, author=request.user)
    form = DraftForm(request.POST or None, instance=post)
    if request.method == "POST" and form.is_valid():
        form.save()
        return redirect("blog:detail", pk=post.pk)
    return render(request, "blog/draft_form.html", {"form": form})


def quick_publish(request, pk):
    post = get_object_or_404(Post, pk=pk, author=request.user)
    for name, value in request.POST.items():
        if name in ("title", "body"):
            setattr(post, name, value)  # ok: mass-assignment
    post.save()
    return redirect("blog:detail", pk=post.pk)


def share_post(request, pk):
    post = get_object_or_404(Post, pk=pk, author=request.user)
    form = ShareForm(request.POST or None, post=post)
    if request.method == "POST" and form.is_valid():
        share = form.save(commit=False)
        share.post = post
        share.save()
        return redirect("blog:detail", pk=post.pk)
    return render(request, "blog/share_form.html", {"form": form})


@staff_member_required
def add_moderator_note(request, pk):
    post = get_object_or_404(Post, pk=pk)
    form = ModeratorNoteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        note = form.save(commit=False)
        note.post = post
        note.save()
        return redirect("blog:detail", pk=post.pk)
    return render(request, "blog/note_form.html", {"form": form})
