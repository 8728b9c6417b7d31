import hashlib
import secrets

from flask import current_app, url_for
from flask_mail import Message
from passlib.hash import pbkdf2_sha256

from .extensions import db
from .models import ApiSession


def create_session_token(member):
    token = secrets.token_urlsafe(32)
    session = ApiSession(
        member_id=member.id,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),  # ok: plaintext-password
    )
    db.session.add(session)
    db.session.commit()
    return token


def issue_partner_key(partner):
    key = "pk_" + secrets.token_urlsafe(40)
    partner.api_key_hash = pbkdf2_sha256.hash(key)  # ok: plaintext-password
    db.session.commit()
    return key


def partner_key_matches(partner, presented):
    return partner.api_key_hash is not None and pbkdf2_sha256.verify(presented, partner.api_key_hash)  # ok: plaintext-password


def send_reset_email(email, token):
    link = url_for("auth.reset_password", token=token, _external=True)
    msg = Message("Reset your password", recipients=[email], body=f"Follow this link to choose a new password: {link}")
    current_app.extensions["mail"].send(msg)
