from datetime import datetime
from enum import Enum
from typing import Literal

from pydantic import BaseModel, Field


class SortField(str, Enum):
    created = "created_at"
    total = "total_cents"
    customer = "customer_name"


class Direction(str, Enum):
    asc = "ASC"
    desc = "DESC"


class OrderFilter(BaseModel):
    status: str | None = None
    customer: str | None = None
    min_total: int | None = None
    created_after: datetime | None = None
    sort: Literal["created_at", "total_cents"] = "created_at"


class Note(BaseModel):
    text: str = Field(max_length=2000)


class BulkStatus(BaseModel):
    order_ids: list[int]
    status: Literal["paid", "shipped", "cancelled"]
    reason: str = ""
