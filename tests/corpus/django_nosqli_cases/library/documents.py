from mongoengine import BooleanField, DateTimeField, Document, IntField, StringField


class Member(Document):
    card_number = StringField(required=True, unique=True)
    name = StringField()
    email = StringField()
    is_staff = BooleanField(default=False)


class Loan(Document):
    card_number = StringField(required=True)
    isbn = StringField(required=True)
    due = DateTimeField()
    renewals = IntField(default=0)
    returned = BooleanField(default=False)
