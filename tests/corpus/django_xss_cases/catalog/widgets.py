from django import forms
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe


class ColourPickerWidget(forms.TextInput):
    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        swatch = format_html("<span class='swatch' style='background:{}'></span>", value or "#fff")
        return mark_safe(f"{field}{swatch}")  # ok: xss


class HelpTextWidget(forms.Textarea):
    def __init__(self, help_html, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.help_html = help_html

    def render(self, name, value, attrs=None, renderer=None):
        field = super().render(name, value, attrs, renderer)
        return mark_safe(field + "<p class='help'>" + self.help_html + "</p>")  # unclear: xss


def tag_list(tags):
    items = format_html_join("", "<li>{}</li>", ((t,) for t in tags))
    return format_html("<ul class='tags'>{}</ul>", items)  # ok: xss


def error_list(errors):
    parts = []
    for error in errors:
        parts.append("<li>%s</li>" % conditional_escape(error))
    return mark_safe("<ul class='errors'>" + "".join(parts) + "</ul>")  # ok: xss


def review_card(review):
    return format_html(f"<blockquote>{review.body}</blockquote><cite>{{}}</cite>", review.author_name)  # unclear: xss
