from marshmallow import Schema, fields, validate


class ContactSchema(Schema):
    first_name = fields.Str(required=True, validate=validate.Length(max=80))
    last_name = fields.Str(required=True, validate=validate.Length(max=80))
    phone = fields.Str(load_default=None)
    email = fields.Email(load_default=None)


class NoteSchema(Schema):
    body = fields.Str(required=True)
    pinned = fields.Bool(load_default=False)


NOTE_JSON_SCHEMA = {
    "type": "object",
    "properties": {"body": {"type": "string"}, "pinned": {"type": "boolean"}},
    "required": ["body"],
}
