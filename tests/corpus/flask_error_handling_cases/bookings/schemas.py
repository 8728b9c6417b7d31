from marshmallow import Schema, fields, validate


class BookingIn(Schema):
    room_id = fields.Integer(required=True)


class StatusIn(Schema):
    status = fields.String(required=True, validate=validate.OneOf(["held", "confirmed", "cancelled"]))
