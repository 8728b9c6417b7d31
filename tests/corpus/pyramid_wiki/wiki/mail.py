from pyramid.threadlocal import get_current_registry
from pyramid_mailer import get_mailer
from pyramid_mailer.message import Message


def send_reset_code(email, code):
    mailer = get_mailer(get_current_registry())
    mailer.send(Message(subject="Your wiki reset code", recipients=[email], body=f"Your reset code: {code}"))
