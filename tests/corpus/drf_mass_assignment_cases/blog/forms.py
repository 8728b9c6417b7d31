from django import forms

from blog.models import Post


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
