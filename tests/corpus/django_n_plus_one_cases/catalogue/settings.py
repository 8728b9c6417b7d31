DEBUG = False  # unclear: password-policy
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "shop"]
AUTH_USER_MODEL = "auth.User"
