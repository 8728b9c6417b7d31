"""Order mails sent through the relay."""
import smtplib
from email.message import EmailMessage

from django.conf import settings


def send_receipt(to: str, body: str) -> None:
    message = EmailMessage()
    message["To"] = to
    message["Subject"] = "Your receipt"
    message.set_content(body)
    with smtplib.SMTP(settings.EMAIL_HOST, 587) as relay:  # expect: timeout
        relay.starttls()
        relay.send_message(message)


def send_alert(to: str, body: str) -> None:
    message = EmailMessage()
    message["To"] = to
    message.set_content(body)
    with smtplib.SMTP(settings.EMAIL_HOST, 587, timeout=settings.EMAIL_TIMEOUT) as relay:  # ok: timeout
        relay.send_message(message)


def send_digest(to: str, body: str) -> None:
    message = EmailMessage()
    message["To"] = to
    message.set_content(body)
    with smtplib.SMTP_SSL(settings.EMAIL_HOST, timeout=15) as relay:  # ok: timeout
        relay.send_message(message)
