"""Small helpers shared by the views."""
import hashlib
import json


def digest(text):
    m = hashlib.md5()
    m.update(text.encode("utf-8"))
    return m.hexdigest()


def etag_for(payload):
    body = json.dumps(payload, sort_keys=True).encode()
    return hashlib.md5(body).hexdigest()  # ok: weak-hash


def page_cache_key(user_id, page):
    return "page:" + hashlib.sha1(f"{user_id}:{page}".encode()).hexdigest()  # ok: weak-hash


def file_checksum(path):
    with open(path, "rb") as fh:
        return hashlib.sha256(fh.read()).hexdigest()  # ok: weak-hash


def content_id(image_bytes):
    return hashlib.blake2b(image_bytes, digest_size=16).hexdigest()  # ok: weak-hash
