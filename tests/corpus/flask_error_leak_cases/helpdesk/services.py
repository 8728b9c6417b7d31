"""Talks to the CRM and stores attachments; used by the blueprints."""
import logging
import os

import requests
from flask import current_app

log = logging.getLogger(__name__)


def push_to_crm(ticket):
    url = current_app.config["CRM_URL"] + "/api/cases"
    reply = requests.post(url, json={"ref": ticket.reference, "subject": ticket.subject}, timeout=10)
    reply.raise_for_status()
    return reply.json()["case_id"]


def store_attachment(ticket, upload):
    folder = os.path.join(current_app.instance_path, "attachments", ticket.reference)
    os.makedirs(folder, exist_ok=True)
    target = os.path.join(folder, os.path.basename(upload.filename))
    upload.save(target)
    return target


def validate_ticket(payload):
    if not payload.get("subject"):
        raise ValueError("A ticket needs a subject.")
    if len(payload.get("body", "")) > 20000:
        raise ValueError("The description is too long (20,000 characters at most).")


def preview_crm_case(case_id):
    """Used by the nightly report: errors are kept in the report, not sent anywhere."""
    try:
        reply = requests.get(f"{current_app.config['CRM_URL']}/api/cases/{case_id}", timeout=5)
        return reply.json()
    except requests.RequestException as exc:
        log.warning("CRM preview failed: %s", exc)
        return {"case": case_id, "error": str(exc)}  # ok: error-leak
