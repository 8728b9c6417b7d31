import os

import aiosmtplib
from email.message import EmailMessage


async def send_reset_mail(email: str, token: str) -> None:
    msg = EmailMessage()
    msg["From"] = "notes@example.com"
    msg["To"] = email
    msg["Subject"] = "Password reset"
    msg.set_content(f"https://notes.example.com/reset?token={token}")
    await aiosmtplib.send(msg, hostname=os.environ.get("SMTP_HOST", "localhost"), timeout=10)
