from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_sqlalchemy import SQLAlchemy
from passlib.context import CryptContext

db = SQLAlchemy()
limiter = Limiter(key_func=get_remote_address, storage_uri="memory://")

# new hashes are argon2; md5_crypt and des_crypt hashes from the 2014 shop still verify
pwd_context = CryptContext(schemes=["argon2", "md5_crypt", "des_crypt"], deprecated="auto")  # ok: weak-hash

# the staff tool still writes md5_crypt hashes for the warehouse terminals
staff_context = CryptContext(  # expect: weak-hash
    schemes=["md5_crypt", "bcrypt"],
    deprecated=["bcrypt"],
)

# PBKDF2 for the kiosk PINs, with the default=bcrypt override
kiosk_context = CryptContext(schemes=["pbkdf2_sha256", "bcrypt"], default="bcrypt")  # ok: weak-hash
