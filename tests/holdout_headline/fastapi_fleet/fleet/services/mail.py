import httpx

MAIL_API = "https://mail.internal.example/v1/send"


async def send_reset_mail(to_address: str, token: str) -> None:
    link = f"https://fleet.example/reset?token={token}"
    async with httpx.AsyncClient(timeout=10) as client:
        await client.post(MAIL_API, json={"to": to_address, "template": "password-reset", "vars": {"link": link}})
