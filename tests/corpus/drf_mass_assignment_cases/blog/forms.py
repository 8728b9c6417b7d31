from django import forms

from blog.models import ModeratorNote, Post, Share


class PostForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = "__all__"  # unclear: mass-assignment


class DraftForm(forms.ModelForm):
    class Meta:
        model = Post
        exclude = ["author", "created"]  # unclear: mass-assignment


class PostAdminForm(forms.ModelForm):
    class Meta:
        model = Post
        fields = "__all__"  # ok: mass-assignment


class ContactForm(forms.Form):
    email = forms.EmailField()
    message = forms.CharField(widget=forms.Textarea)


class ShareForm(forms.ModelForm):
    """Shares a post with another member: choosing the user is what the form is for."""

    class Meta:
        model = Share
        exclude = ("post",)  # ok: mass-assignment

    def __init__(self, *args, post=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = post.author.followers.all() if post else self.fields["user"].queryset.none()


class ModeratorNoteForm(forms.ModelForm):
    class Meta:
        model = ModeratorNote
        exclude = ("post",)  # ok: mass-assignment
