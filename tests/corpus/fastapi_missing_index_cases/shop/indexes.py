"""Indexes added after profiling the order screens (kept apart from the models)."""
from sqlalchemy import Index

from shop.models import Order

Index("ix_orders_created_by_id", Order.created_by_id)
