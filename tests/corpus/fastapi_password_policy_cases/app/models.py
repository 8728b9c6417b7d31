from typing import Optional

from sqlmodel import Field, SQLModel


class User(SQLModel, table=True):
    id: Optional[int] = Field(default=None, primary_key=True)
    email: str = Field(index=True, unique=True)
    password: str  # ok: password-policy


class UserCreateIn(SQLModel):
    email: str
    password: str = Field(min_length=8, max_length=72)  # ok: password-policy
