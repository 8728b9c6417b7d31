from marshmallow import Schema, fields


class LoginSchema(Schema):
    username = fields.String(required=True)
    password = fields.String(required=True)


class NoteFilterSchema(Schema):
    tag = fields.String()
    archived = fields.Boolean()
