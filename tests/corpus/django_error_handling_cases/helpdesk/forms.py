from django import forms

from .models import Comment, Ticket


class CommentForm(forms.ModelForm):
    class Meta:
        model = Comment
        fields = ["body"]


class AssignForm(forms.ModelForm):
    class Meta:
        model = Ticket
        fields = ["assignee", "priority"]


class AvatarForm(forms.Form):
    avatar = forms.ImageField()
