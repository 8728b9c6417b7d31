from flask import request
from marshmallow import Schema, fields


class _OrderLineIn(Schema):
    sku = fields.String(required=True)
    quantity = fields.Integer(required=True)


class _OrderIn(Schema):
    customer = fields.Integer()
    total = fields.Decimal()
    sku = fields.String()
    email = fields.Email()
    lines = fields.List(fields.Nested(_OrderLineIn))


class OrderIn:
    @staticmethod
    def parse() -> dict:
        """The request body, validated."""
        return _OrderIn().load(request.get_json())
