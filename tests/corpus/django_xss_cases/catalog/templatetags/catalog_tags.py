from django import template
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def product_link(product):
    url = reverse("product-detail", args=[product.slug])
    return mark_safe(f"<a href='{url}'>{escape(product.name)}</a>")  # ok: xss


@register.simple_tag
def stock_badge(product):
    return mark_safe(f"<span class='badge'>{product.stock_count} in stock</span>")  # ok: xss


@register.filter
def highlight(text, term):
    return mark_safe(text.replace(term, f"<mark>{term}</mark>"))  # unclear: xss


@register.simple_tag(takes_context=True)
def current_search(context):
    request = context["request"]
    return mark_safe("<em>%s</em>" % request.GET.get("q", ""))  # expect: xss
