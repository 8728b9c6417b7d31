import logging

from flask import render_template

from .ui import pluralize, text

logger = logging.getLogger(__name__)


def digest_subject(username, count):
    return text(f"Select the best {count} {pluralize(count, 'post')} from {username}'s feed", bold=True)  # ok: sqli


def moderation_notice(post_id, reason):
    body = text(f"Update: post {post_id} was hidden from the front page ({reason})")  # ok: sqli
    logger.warning(f"delete from front page requested for post {post_id}: {reason}")  # ok: sqli
    return render_template("mail/moderation.html", body=body)
