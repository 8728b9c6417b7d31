import os

DEBUG = False
SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]
ALLOWED_HOSTS = ["shop.example.com"]
INSTALLED_APPS = ["django.contrib.contenttypes", "shop"]

EMAIL_HOST = os.environ.get("EMAIL_HOST", "smtp.example.com")
EMAIL_TIMEOUT = 10
RATES_URL = "https://rates.example.com/latest"
HTTP_TIMEOUT = float(os.environ.get("HTTP_TIMEOUT", "10"))
