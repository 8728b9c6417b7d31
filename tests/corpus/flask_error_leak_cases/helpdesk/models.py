from datetime import datetime, timezone

from .extensions import db


class TicketLocked(Exception):
    """Raised when a ticket is edited while an agent holds its lock; the message names the agent."""


class Ticket(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    reference = db.Column(db.String(32), unique=True, nullable=False)
    subject = db.Column(db.String(200), nullable=False)
    body = db.Column(db.Text, nullable=False)
    status = db.Column(db.String(20), default="open")
    locked_by = db.Column(db.String(80))
    created_at = db.Column(db.DateTime, default=lambda: datetime.now(timezone.utc))

    def assert_unlocked(self, agent):
        if self.locked_by and self.locked_by != agent:
            raise TicketLocked(f"Ticket {self.reference} is being edited by {self.locked_by}.")
