from fastapi import APIRouter, HTTPException
from passlib.context import CryptContext

from ..models import User
from ..schemas.users import LoginRequest, PasswordResetConfirm, UserCreate, UserRegister, UserUpdate

router = APIRouter(prefix="/users")
pwd_context = CryptContext(schemes=["bcrypt"], deprecated="auto")
USERS: dict[str, dict] = {}


@router.post("/", status_code=201)
def create_user(body: UserCreate):
    user = User(email=body.email, password=pwd_context.hash(body.password))
    USERS[body.email] = {"email": user.email, "hash": user.password}
    return {"email": body.email}


@router.post("/register", status_code=201)
def register(body: UserRegister):  # unclear: rate-limit
    USERS[body.email] = {"email": body.email, "hash": pwd_context.hash(body.password)}
    return {"email": body.email}


@router.patch("/{email}")
def update_user(email: str, body: UserUpdate):
    user = USERS.get(email)
    if user is None:
        raise HTTPException(404)
    if body.password:
        user["hash"] = pwd_context.hash(body.password)
    return {"email": email}


@router.post("/login")
def login(body: LoginRequest):  # expect: rate-limit
    user = USERS.get(body.email)
    if user is None or not pwd_context.verify(body.password, user["hash"]):
        raise HTTPException(401)
    return {"ok": True}


@router.post("/reset")
def reset(body: PasswordResetConfirm):
    return {"ok": bool(body.token)}
