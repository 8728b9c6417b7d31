from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field

from .models import VehicleStatus


class ORMModel(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class RegisterIn(BaseModel):
    email: EmailStr
    full_name: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=12, max_length=128)  # ok: plaintext-password


class RefreshIn(BaseModel):
    refresh_token: str


class TokenPair(BaseModel):
    access_token: str
    refresh_token: str
    token_type: str = "bearer"


class ResetRequestIn(BaseModel):
    email: EmailStr


class ResetConfirmIn(BaseModel):
    token: str
    new_password: str = Field(min_length=12, max_length=128)


class AdminUserIn(BaseModel):
    email: EmailStr
    full_name: str
    password: str = Field(min_length=12)
    is_admin: bool = False


class AdminPasswordIn(BaseModel):
    new_password: str = Field(min_length=12)


class KioskPinIn(BaseModel):
    pin: str = Field(pattern=r"^\d{4,6}$")


class KioskUnlockIn(BaseModel):
    licence_no: str
    pin: str


class DeviceTokenOut(BaseModel):
    token: str


class UserOut(ORMModel):
    id: int
    email: EmailStr
    full_name: str
    is_admin: bool


class DriverOut(ORMModel):
    id: int
    name: str
    licence_no: str


class VehicleOut(ORMModel):
    id: int
    plate: str
    make: str
    model: str
    year: int
    status: VehicleStatus
    odometer_km: int


class TripOut(ORMModel):
    id: int
    vehicle_id: int
    driver_id: int
    started_at: datetime
    ended_at: datetime | None
    distance_km: float | None


class MaintenanceOut(ORMModel):
    id: int
    performed_at: datetime
    description: str
    cost: float
