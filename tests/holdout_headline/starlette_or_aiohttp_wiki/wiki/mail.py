import asyncio
import smtplib
from email.message import EmailMessage

BASE_URL = "https://wiki.example.org"


def _send(to_address: str, subject: str, text: str) -> None:
    msg = EmailMessage()
    msg["From"] = "TeamWiki <wiki@example.org>"
    msg["To"] = to_address
    msg["Subject"] = subject
    msg.set_content(text)
    with smtplib.SMTP("localhost", timeout=10) as smtp:
        smtp.send_message(msg)


async def send_reset_link(to_address: str, token: str) -> None:
    await asyncio.to_thread(_send, to_address, "Reset your wiki password", f"{BASE_URL}/reset?token={token}")


async def send_magic_link(to_address: str, token: str) -> None:
    await asyncio.to_thread(_send, to_address, "Your sign-in link", f"{BASE_URL}/magic?t={token}")
