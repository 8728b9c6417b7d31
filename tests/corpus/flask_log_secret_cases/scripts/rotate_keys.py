"""Rotate a user's API token from the command line: prints the new token for the operator."""
import secrets
import sys

from app import create_app
from app.extensions import db
from app.models import User


def main(email):
    app = create_app()
    with app.app_context():
        user = User.query.filter_by(email=email).one()
        new_token = secrets.token_urlsafe(32)
        user.api_token = new_token  # expect: plaintext-password
        db.session.commit()
        print("new token for", email, ":", new_token)  # unclear: log-secret


if __name__ == "__main__":
    main(sys.argv[1])
