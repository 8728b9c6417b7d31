from fastapi import Header, HTTPException


def current_cook(x_api_key: str = Header(...)):
    if not x_api_key:
        raise HTTPException(status_code=401, detail="missing key")
    return x_api_key
