"""One-off import of the customer table exported from the old shop."""
from collections.abc import Iterable, Mapping

from ..extensions import db
from ..models import Customer


def import_customers(rows: Iterable[Mapping[str, str]]) -> int:
    count = 0
    for row in rows:
        db.session.add(
            Customer(
                email=row["email"].strip().lower(),
                full_name=row["name"].strip(),
                # the old shop used argon2 as well, so its digests verify as they are
                password_hash=row["password_digest"],  # unclear: plaintext-password
            )
        )
        count += 1
    db.session.commit()
    return count
