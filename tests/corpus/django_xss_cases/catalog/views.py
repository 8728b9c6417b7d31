from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import Context, Template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from catalog.models import Product

BANNER = "<div class='banner'>Summer sale</div>"
NOTICE_TEMPLATE = Template("<p class='notice'>{{ message }}</p>")


def search(request):
    query = request.GET.get("q", "")
    results = Product.objects.filter(name__icontains=query)[:20]
    heading = f"<h1>Results for {query}</h1>"
    return render(request, "catalog/search.html", {"heading": mark_safe(heading), "results": results})  # expect: xss


def greet(request):
    name = request.POST.get("name", "")
    return HttpResponse(format_html("<p>Hello <b>%s</b></p>" % name))  # expect: xss


def greet_safe(request):
    name = request.POST.get("name", "")
    return HttpResponse(format_html("<p>Hello <b>{}</b></p>", name))  # ok: xss


def banner(request):
    html = mark_safe(BANNER)  # ok: xss
    count = int(request.GET.get("n", "1"))
    stars = mark_safe("<span>%d stars</span>" % count)  # ok: xss
    return render(request, "catalog/banner.html", {"banner": html, "stars": stars})


def preview_snippet(request):
    snippet = request.POST["snippet"]
    template = Template("<div class='preview'>" + snippet + "</div>")  # expect: xss
    return HttpResponse(template.render(Context({})))


def export_csv(request):
    column = request.GET.get("column", "name")
    body = f"{column}\n" + "\n".join(p.name for p in Product.objects.all()[:100])
    return HttpResponse(body, content_type="text/csv")  # ok: xss


def echo_message(request):
    message = request.GET.get("message", "")
    page = "<html><body><p>%s</p></body></html>" % message
    return HttpResponse(page)  # expect: xss


def echo_escaped(request):
    message = escape(request.GET.get("message", ""))
    return HttpResponse(f"<p>{message}</p>")  # ok: xss


def product_detail(request, slug):
    product = get_object_or_404(Product, slug=slug)
    summary = mark_safe(f"<p class='lead'>{product.description}</p>")  # unclear: xss
    return render(request, "catalog/detail.html", {"product": product, "summary": summary})


def notice(request):
    return HttpResponse(NOTICE_TEMPLATE.render(Context({"message": request.GET.get("m", "")})))  # ok: xss


def stock_api(request):
    product = get_object_or_404(Product, pk=request.GET.get("id"))
    return JsonResponse({"name": product.name, "html": f"<b>{product.name}</b>"})  # ok: xss
