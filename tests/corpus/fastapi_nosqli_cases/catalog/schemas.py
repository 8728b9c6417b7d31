from typing import Any

from pydantic import BaseModel, Field


class ProductFilter(BaseModel):
    category: str | None = None
    brand: str | None = None
    max_price: float | None = Field(default=None, ge=0)


class StockQuery(BaseModel):
    sku: str
    warehouse: str


class ReportRequest(BaseModel):
    pipeline: list[dict[str, Any]]
