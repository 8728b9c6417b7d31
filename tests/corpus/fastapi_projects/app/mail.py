import smtplib
from email.message import EmailMessage

RESET_URL = "https://projects.example.com/reset-password?token={token}"


def send_password_reset(email: str, token: str) -> None:
    msg = EmailMessage()
    msg["To"] = email
    msg["From"] = "no-reply@projects.example.com"
    msg["Subject"] = "Reset your password"
    msg.set_content(f"Choose a new password here: {RESET_URL.format(token=token)}")
    with smtplib.SMTP("localhost", timeout=10) as smtp:
        smtp.send_message(msg)
