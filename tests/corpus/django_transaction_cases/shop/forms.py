from django import forms

from .models import Order


class OrderForm(forms.ModelForm):
    class Meta:
        model = Order
        fields = ["total"]


class SignupForm(forms.Form):
    username = forms.CharField(max_length=150)
    password = forms.CharField(min_length=12, widget=forms.PasswordInput)


class TagForm(forms.Form):
    tag = forms.SlugField(max_length=40)


class LineForm(forms.Form):
    product = forms.IntegerField(min_value=1)
