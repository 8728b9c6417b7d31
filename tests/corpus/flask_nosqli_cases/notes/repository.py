"""Queries the views share; callers pass what they were given."""
import re

from bson.code import Code


def notes_matching(db, text):
    pattern = re.compile(re.escape(text), re.IGNORECASE)
    return db.notes.find({"title": pattern})  # ok: nosqli


def notes_with_title_like(db, text):
    return db.notes.find({"$where": f"this.title.startsWith('{text}')"})  # unclear: nosqli


def notes_of(db, owner_filter):
    return db.notes.find(owner_filter)  # ok: nosqli


def tag_counts(db, owner):
    mapper = Code("function () { if (this.owner == owner) this.tags.forEach(function (t) { emit(t, 1); }); }", {"owner": owner})  # ok: nosqli
    reducer = Code("function (key, values) { return Array.sum(values); }")
    return db.notes.map_reduce(mapper, reducer, "tag_counts")
