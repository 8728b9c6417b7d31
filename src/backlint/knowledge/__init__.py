"""Framework knowledge: what backlint knows about Django, DRF, Flask, FastAPI, SQLAlchemy
and the rest, read from the YAML files in `rules/` and the small matchers over it.

This layer sits below the project facts (backlint.facts) and the rules: both read it, it
reads neither. A module here loads its YAML once (lru_cache) and exposes typed views.
"""
