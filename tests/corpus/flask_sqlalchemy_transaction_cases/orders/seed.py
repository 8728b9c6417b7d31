from .extensions import db
from .models import Customer, Order


def seed_demo():
    customer = Customer(email="demo@example.com")
    db.session.add(customer)
    db.session.commit()  # unclear: transaction
    db.session.add(Order(customer_id=customer.id, total=0))
    db.session.commit()
