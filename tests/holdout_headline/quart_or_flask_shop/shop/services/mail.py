import smtplib
from email.message import EmailMessage

from flask import current_app


def send_reset_code(to_address: str, code: str) -> None:
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = to_address
    msg["Subject"] = "Your Larder password reset code"
    msg.set_content(f"Enter this code to choose a new password: {code}\nIt is valid for 15 minutes.")
    with smtplib.SMTP(current_app.config["SMTP_HOST"], timeout=10) as smtp:
        smtp.send_message(msg)
