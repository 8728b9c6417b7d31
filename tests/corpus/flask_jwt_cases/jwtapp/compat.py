"""A tiny in-house signed-cookie format that predates the move to PyJWT; its API happens to
look like PyJWT 1.x."""
import base64
import json


class _Codec:
    def decode(self, token, verify=True):
        body = token.split(".")[0]
        return json.loads(base64.urlsafe_b64decode(body + "=="))


jwt = _Codec()
