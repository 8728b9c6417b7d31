from .extensions import db


class Room(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(80), nullable=False)


class Booking(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    room_id = db.Column(db.Integer, db.ForeignKey("room.id"), nullable=False, index=True)
    owner_id = db.Column(db.Integer, nullable=False, index=True)
    status = db.Column(db.String(20), default="held")


class AccessLog(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    path = db.Column(db.String(200))
