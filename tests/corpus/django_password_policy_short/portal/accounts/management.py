"""Creates the portal's service account from the environment on deploy."""
import os

from django.contrib.auth import get_user_model


def ensure_service_account():
    User = get_user_model()
    if not User.objects.filter(username="portal-bot").exists():
        User.objects.create_user("portal-bot", password=os.environ["PORTAL_BOT_PASSWORD"])
