from pydantic import BaseModel, field_validator


class StrongPasswordModel(BaseModel):
    """Every schema that takes a new password derives from this one."""

    password: str

    @field_validator("password")
    @classmethod
    def check_length(cls, value: str) -> str:
        if len(value) < 12:
            raise ValueError("at least 12 characters")
        return value
