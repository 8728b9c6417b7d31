from django.contrib import admin

from blog.forms import PostAdminForm
from blog.models import Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    form = PostAdminForm
    list_display = ("title", "author", "is_published")
