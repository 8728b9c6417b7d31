from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field


class UserCreate(BaseModel):
    email: EmailStr
    full_name: str = Field(max_length=120)
    password: str = Field(min_length=10)  # ok: plaintext-password


class UserOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    email: EmailStr
    full_name: str


class TokenOut(BaseModel):
    access_token: str
    refresh_token: str | None = None
    token_type: str = "bearer"


class RefreshIn(BaseModel):
    refresh_token: str


class PasswordChange(BaseModel):
    current_password: str  # ok: plaintext-password
    new_password: str = Field(min_length=10)  # ok: plaintext-password


class ForgotPasswordIn(BaseModel):
    email: EmailStr


class ResetPasswordIn(BaseModel):
    token: str
    new_password: str = Field(min_length=10)  # ok: plaintext-password


class OtpIn(BaseModel):
    code: str = Field(pattern=r"^\d{6}$")


class ServiceAccountIn(BaseModel):
    name: str
    password: str  # ok: plaintext-password # expect: password-policy


class ServiceLogin(BaseModel):
    name: str
    password: str  # ok: plaintext-password


class ProjectOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    created_at: datetime


class TaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    done: bool


class InviteIn(BaseModel):
    email: EmailStr


class AdminUserIn(BaseModel):
    email: EmailStr
    full_name: str
    password: str  # ok: plaintext-password # expect: password-policy
