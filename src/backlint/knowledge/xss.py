"""What the XSS rule (BL731) knows (rules/xss.yaml), as a typed view, and the prefilter
derived from it (`trigger()`): every call name, method and framework the YAML lists."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from backlint.knowledge import load


@dataclass(frozen=True)
class Knowledge:
    safe_markers: frozenset[str]
    format_calls: frozenset[str]
    template_calls: frozenset[str]
    template_methods: frozenset[str]
    template_modules: tuple[str, ...]
    html_responses: frozenset[str]
    always_html: frozenset[str]
    html_when_typed: frozenset[str]
    content_type_keywords: frozenset[str]
    body_keywords: frozenset[str]
    route_return_modules: tuple[str, ...]
    response_class_keyword: str
    escaper_names: frozenset[str]
    escaper_calls: frozenset[str]
    plain_attributes: re.Pattern[str]
    environments: frozenset[str]
    jinja_templates: frozenset[str]
    autoescape_keyword: str
    loader_methods: frozenset[str]
    render_methods: frozenset[str]
    fixes: dict[str, str]

    def escaper(self, qualified: str) -> bool:
        """Is a call of `qualified` safe in HTML (escaped, sanitised, a URL, a translation)?"""
        return qualified in self.escaper_calls or qualified.rsplit(".", 1)[-1] in self.escaper_names


def _names(values: list[str]) -> frozenset[str]:
    return frozenset(values)


@lru_cache(maxsize=1)
def knowledge() -> Knowledge:
    data = load("xss")
    sinks = data["sinks"]
    jinja = data["jinja"]
    return Knowledge(
        safe_markers=_names(sinks["safe-markers"]),
        format_calls=_names(sinks["format-calls"]),
        template_calls=_names(sinks["template-calls"]),
        template_methods=_names(sinks["template-methods"]),
        template_modules=tuple(sinks["template-modules"]),
        html_responses=_names(sinks["html-responses"]),
        always_html=_names(sinks["always-html"]),
        html_when_typed=_names(sinks["html-when-typed"]),
        content_type_keywords=_names(sinks["content-type-keywords"]),
        body_keywords=_names(sinks["body-keywords"]),
        route_return_modules=tuple(sinks["route-return-modules"]),
        response_class_keyword=sinks["response-class-keyword"],
        escaper_names=_names(data["escapers"]["names"]),
        escaper_calls=_names(data["escapers"]["calls"]),
        plain_attributes=re.compile(data["plain-attributes"]),
        environments=_names(jinja["environments"]),
        jinja_templates=_names(jinja["templates"]),
        autoescape_keyword=jinja["autoescape-keyword"],
        loader_methods=_names(jinja["loader-methods"]),
        render_methods=_names(jinja["render-methods"]),
        fixes=dict(data["fixes"]),
    )


def trigger_words() -> frozenset[str]:
    """The words one of which a file must hold for the rule to find anything in it: the last
    names of every sink call, the template methods, and the frameworks whose routes serve a
    returned string as HTML."""
    k = knowledge()
    calls = k.safe_markers | k.format_calls | k.template_calls | k.html_responses | k.environments | k.jinja_templates
    words = {name.rsplit(".", 1)[-1] for name in calls} | set(k.template_methods) | set(k.route_return_modules)
    return frozenset(words)


@lru_cache(maxsize=1)
def trigger() -> re.Pattern[str]:
    return re.compile(r"\b(?:" + "|".join(sorted(map(re.escape, trigger_words()))) + r")\b")
