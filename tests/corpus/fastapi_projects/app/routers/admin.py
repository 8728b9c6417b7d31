import secrets

from corp_identity import IdentityClient
from fastapi import APIRouter, Depends, status
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..config import settings
from ..crm import crm_client
from ..db import get_db
from ..deps import require_admin
from ..models import ApiKey, ServiceAccount, User
from ..schemas import AdminUserIn, ServiceAccountIn
from ..security import hash_api_key

router = APIRouter(prefix="/admin", tags=["admin"], dependencies=[Depends(require_admin)])
identity = IdentityClient(settings.identity_service_url)


@router.post("/service-accounts", status_code=status.HTTP_201_CREATED)
def create_service_account(body: ServiceAccountIn, db: Session = Depends(get_db)):
    account = ServiceAccount(name=body.name, password=body.password)  # expect: plaintext-password
    db.add(account)
    db.commit()
    return {"id": account.id, "name": account.name}


@router.get("/service-accounts")
def list_service_accounts(db: Session = Depends(get_db)):
    accounts = db.scalars(select(ServiceAccount).order_by(ServiceAccount.name)).all()  # expect: pagination
    return [{"id": a.id, "name": a.name} for a in accounts]


@router.post("/users", status_code=status.HTTP_201_CREATED)
def create_user(body: AdminUserIn, db: Session = Depends(get_db)):
    user = User(email=body.email.lower(), full_name=body.full_name)
    user.hashed_password = identity.hash_password(body.password)  # unclear: plaintext-password
    db.add(user)
    db.commit()
    return {"id": user.id}


@router.post("/users/{user_id}/api-keys", status_code=status.HTTP_201_CREATED)
def create_api_key(user_id: int, db: Session = Depends(get_db)):
    raw = "pk_" + secrets.token_urlsafe(32)
    db.add(ApiKey(user_id=user_id, prefix=raw[:10], key_hash=hash_api_key(raw)))  # ok: plaintext-password
    db.commit()
    return {"api_key": raw}


@router.get("/crm/contacts")
def crm_contacts(segment: str = "customers"):
    return crm_client.list_contacts(segment=segment)  # unclear: pagination
