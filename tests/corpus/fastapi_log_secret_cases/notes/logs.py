import logging

audit = logging.getLogger("notes.audit")
