"""Live updates: sockets join rooms by their socket session id; invitations carry a token."""
import logging
import secrets

logger = logging.getLogger(__name__)


class Hub:
    def __init__(self, config):
        self.rooms = {}
        self.join_by_token = config.get("JOIN_BY_TOKEN", False)
        self.invites = {}
        logger.info("join by token: %s", self.join_by_token)  # ok: log-secret

    def join(self, session_id, room):
        logger.info("socket session %s joined %s", session_id, room)  # unclear: log-secret
        self.rooms.setdefault(room, set()).add(session_id)

    def resume(self, client, sync_token):
        logger.debug("client %s resumes from sync token %s", client, sync_token)  # ok: log-secret

    def replay(self, events):
        for token in events:
            logger.debug("replaying event %s", token)  # ok: log-secret

    def invite(self, room):
        invite_token = secrets.token_urlsafe(16)
        self.invites[invite_token] = room
        logger.info("invite for %s: %s", room, invite_token)  # expect: log-secret
        return invite_token

    def accept(self, invite_token):
        room = self.invites.pop(invite_token, None)
        if room is None:
            logger.warning("unknown invite %s...", invite_token[:4])  # ok: log-secret
            return None
        return room

    def share(self, room, by_link):
        path_or_token = secrets.token_urlsafe(8) if by_link else f"/rooms/{room}"
        logger.info("room shared as %s", path_or_token)  # unclear: log-secret
        return path_or_token
