import hashlib

from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import get_hasher, make_password
from django.db import connection

from .models import Profile


def create_member(email, raw_password):
    return get_user_model().objects.create(email=email, password=make_password(raw_password))  # ok: weak-hash


def import_forum_member(row):
    # the forum export has clear-text passwords from its "remember me" table
    return get_user_model().objects.create(
        email=row["email"],
        password=make_password(row["password"], None, "unsalted_sha1"),  # expect: weak-hash
    )


def forum_hash_matches(password, encoded):
    return get_hasher("sha1").verify(password, encoded)  # ok: weak-hash


def set_transfer_pin(user, pin):
    profile = Profile.objects.get(user=user)
    profile.transfer_pin = hashlib.sha256(pin.encode()).hexdigest()  # expect: weak-hash
    profile.save(update_fields=["transfer_pin"])


def reset_member_password(user, new_password):
    user.set_password(new_password)  # ok: weak-hash
    user.save(update_fields=["password"])


def password_changed_marker(user):
    # part of a signed e-mail link: changes when the stored hash changes
    return hashlib.sha256(user.password.encode()).hexdigest()[:12]  # ok: weak-hash


def sync_legacy_table(user_id, password):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE legacy_users SET passwd = %s WHERE id = %s",
            [hashlib.sha1(password.encode()).hexdigest(), user_id],  # expect: weak-hash
        )


def mobile_v1_member(email, password):
    # app v1 hashed on the device; the server keeps Django's hash of that digest
    prehashed = hashlib.sha256(password.encode()).hexdigest()  # ok: weak-hash
    return authenticate(username=email, password=prehashed)


def register_mobile_v1(email, password):
    user = get_user_model()(email=email, username=email)
    user.set_password(hashlib.sha256(password.encode()).hexdigest())  # ok: weak-hash
    user.save()
    return user
