from typing import Annotated, Optional

from fastapi import Query

from pydantic import AfterValidator, BaseModel, EmailStr, Field, SecretStr, StringConstraints, constr, model_validator

from .base import StrongPasswordModel


class UserBase(BaseModel):
    email: EmailStr
    full_name: Optional[str] = None


class UserCreate(UserBase):
    password: str  # expect: password-policy


class UserUpdate(UserBase):
    password: Optional[str] = None  # expect: password-policy


class UserRegister(StrongPasswordModel):
    email: EmailStr
    password: str  # unclear: password-policy


class LoginRequest(BaseModel):
    email: EmailStr
    password: str  # ok: password-policy


class PasswordChange(BaseModel):
    current_password: str  # ok: password-policy
    new_password: SecretStr = Field(min_length=12, max_length=256)  # ok: password-policy


class PasswordResetConfirm(BaseModel):
    token: str
    new_password: constr(min_length=6)  # expect: password-policy


def _not_numeric(value: str) -> str:
    if value.isdigit():
        raise ValueError("letters needed")
    return value


class InviteAccept(BaseModel):
    token: str
    password: Annotated[str, AfterValidator(_not_numeric)]  # ok: password-policy


class SignupRequest(BaseModel):
    username: str
    password: Annotated[str, StringConstraints(min_length=10)]  # ok: password-policy
    password2: str  # ok: password-policy

    @model_validator(mode="after")
    def passwords_match(self):
        if self.password != self.password2:
            raise ValueError("passwords differ")
        return self


class SmtpSettings(BaseModel):
    host: str
    username: str
    password: str  # ok: password-policy


class UserIn(BaseModel):
    email: EmailStr
    password: str = Field(..., description="the new account's password")  # expect: password-policy


class ResetUserPassword(BaseModel):
    reset_key: str
    password: str = Query(default=..., min_length=10, max_length=64)  # ok: password-policy
