from fastapi import APIRouter, Depends, Header, HTTPException

router = APIRouter()

INTERNAL_TOKEN = "itk_Hs83Kd02Lq57Wm19Pz46Xv"  # expect: hardcoded-secret


def require_internal(x_internal_token: str = Header(...)) -> None:  # ok: hardcoded-secret
    if x_internal_token != INTERNAL_TOKEN:  # ok: hardcoded-secret
        raise HTTPException(status_code=401)


def password_given(password: str) -> bool:
    return password != ""  # ok: hardcoded-secret


def token_response(access: str) -> dict:
    return {"access_token": access, "token_type": "bearer"}  # ok: hardcoded-secret


@router.get("/v1/internal/ping", dependencies=[Depends(require_internal)])
def ping():
    return {"ok": True}
