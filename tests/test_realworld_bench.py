"""bench/realworld.py: span-based scoring of blind labels on real projects (issue 11)."""
from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def _load():
    spec = importlib.util.spec_from_file_location("bench_realworld", ROOT / "bench" / "realworld.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_realworld"] = module
    spec.loader.exec_module(module)
    return module


rw = _load()


def finding(path, line, slug, confidence="high", rule="BL000"):
    return {"path": path, "line": line, "checklist": slug, "confidence": confidence, "rule": rule}


DOC = {
    "project": "p",
    "scope": ["app/"],
    "cases": [
        {"slug": "rate-limit", "path": "app/views.py", "line": 10, "end_line": 20, "verdict": "violation"},
        {"slug": "rate-limit", "path": "app/views.py", "line": 30, "end_line": 40, "verdict": "ok"},
        {"slug": "pagination", "path": "app/views.py", "line": 50, "end_line": 60, "verdict": "unclear"},
        {"slug": "pagination", "path": "app/views.py", "line": 70, "end_line": 80, "verdict": "violation"},
        {"slug": "sqli", "path": "app/db.py", "line": 5, "end_line": 5, "verdict": "unclear"},
    ],
}


def test_spans_verdicts_and_confidence():
    findings = [
        finding("app/views.py", 12, "rate-limit"),                   # in the violation span: TP
        finding("app/views.py", 31, "rate-limit"),                   # in an ok span: FP
        finding("app/views.py", 55, "pagination", "low"),            # unclear, low: TP
        finding("app/db.py", 5, "sqli", "high"),                     # unclear, high: over-claims
        finding("app/other.py", 3, "sqli", "low"),                   # in scope, no case: unjudged
        finding("lib/vendored.py", 9, "sqli", "low"),                # outside the scope: not scored
        finding("app/views.py", 12, "sqli"),                         # another slug's span: unjudged
    ]
    per = rw.score_project(DOC, findings, {})
    rl, pg, sq = per["rate-limit"], per["pagination"], per["sqli"]
    assert (rl["tp"], rl["fn"], rl["fp"], rl["high_tp"], rl["high_fp"]) == (1, 0, 1, 1, 1)
    assert (pg["tp"], pg["fn"], pg["fp"]) == (1, 1, 0)  # the case at 70-80 was missed
    assert pg["misses"][0]["line"] == 70
    assert (sq["tp"], sq["fn"], sq["fp"], sq["unjudged"], sq["high_fp"]) == (0, 0, 1, 2, 1)
    assert {(p["path"], p["scope"]) for p in sq["pending"]} == {("app/other.py", "inside"), ("app/views.py", "inside")}


def test_adjudication_fills_the_gaps_and_outside_high_findings_count_only_for_high_precision():
    findings = [finding("app/other.py", 3, "sqli", "low"), finding("lib/x.py", 9, "sqli", "high"),
                finding("lib/y.py", 1, "sqli", "high")]
    decided = rw.load_adjudicated(None)
    assert decided == {}
    decided = {("p", "sqli", "app/other.py", 3): {"verdict": "violation"},
               ("p", "sqli", "lib/x.py", 9): {"verdict": "ok", "why": "constant"}}
    sq = rw.score_project(DOC, findings, decided)["sqli"]
    # the adjudicated in-scope finding is a TP; lib/x.py counts only as a high-confidence FP;
    # lib/y.py is high, outside and undecided: pending, not counted
    assert (sq["tp"], sq["fp"], sq["unjudged"], sq["high_tp"], sq["high_fp"]) == (1, 0, 0, 0, 1)
    assert [p["path"] for p in sq["pending"]] == ["lib/y.py"]


def test_narrowest_span_wins():
    doc = {"project": "p", "scope": [""], "cases": [
        {"slug": "pagination", "path": "v.py", "line": 1, "end_line": 100, "verdict": "ok"},
        {"slug": "pagination", "path": "v.py", "line": 10, "end_line": 20, "verdict": "violation"},
    ]}
    pg = rw.score_project(doc, [finding("v.py", 15, "pagination")], {})["pagination"]
    assert (pg["tp"], pg["fp"]) == (1, 0)


def test_malformed_labels_name_the_file(tmp_path):
    (tmp_path / "bad.json").write_text(json.dumps({"project": "bad", "cases": [{"slug": "sqli", "path": "a.py", "line": 1, "verdict": "maybe"}]}))
    with pytest.raises(ValueError, match=r"bad\.json.*maybe"):
        rw.load_labels(tmp_path)
    assert rw.main(["score", "--labels", str(tmp_path), "--findings", str(tmp_path)]) == 2


def test_run_and_score_on_a_real_project(tmp_path, capsys):
    """The real engine on a two-module Flask project, scored against labels written for it."""
    project = tmp_path / "projects" / "shop"
    (project / "shop").mkdir(parents=True)
    (project / "shop" / "__init__.py").write_text("")
    (project / "shop" / "models.py").write_text(textwrap.dedent("""\
        from flask_sqlalchemy import SQLAlchemy
        db = SQLAlchemy()
        class User(db.Model):
            id = db.Column(db.Integer, primary_key=True)
            password_hash = db.Column(db.String(200))
        class Order(db.Model):
            id = db.Column(db.Integer, primary_key=True)
    """))
    views = textwrap.dedent("""\
        from flask import Blueprint, jsonify, request
        from werkzeug.security import check_password_hash
        from .models import Order, User
        bp = Blueprint("shop", __name__)

        @bp.route("/login", methods=["POST"])
        def login():
            user = User.query.filter_by(name=request.form["name"]).first()
            if user and check_password_hash(user.password_hash, request.form["password"]):
                return jsonify(ok=True)
            return jsonify(ok=False), 401

        @bp.route("/orders")
        def orders():
            return jsonify([o.id for o in Order.query.all()])

        @bp.route("/orders/<int:oid>")
        def order(oid):
            return jsonify(Order.query.get_or_404(oid).id)
    """)
    (project / "shop" / "views.py").write_text(views)
    labels = tmp_path / "labels"
    labels.mkdir()
    (labels / "shop.json").write_text(json.dumps({"project": "shop", "scope": ["shop/"], "cases": [
        {"slug": "rate-limit", "path": "shop/views.py", "line": 7, "end_line": 11, "verdict": "violation"},
        {"slug": "pagination", "path": "shop/views.py", "line": 14, "end_line": 15, "verdict": "violation"},
        {"slug": "pagination", "path": "shop/views.py", "line": 18, "end_line": 19, "verdict": "ok"},
    ]}))
    out = tmp_path / "findings"
    assert rw.main(["run", "--projects", str(tmp_path / "projects"), "--out", str(out), "--backlint", f"{sys.executable} -m backlint"]) == 0
    assert (out / "shop.json").is_file()
    capsys.readouterr()
    assert rw.main(["score", "--labels", str(labels), "--findings", str(out), "--json"]) == 0
    total = json.loads(capsys.readouterr().out)["total"]
    assert total["rate-limit"]["tp"] == 1 and total["rate-limit"]["fp"] == 0
    assert total["pagination"]["tp"] == 1 and total["pagination"]["fp"] == 0


def test_a_finding_on_a_class_line_covers_the_cases_on_its_methods(tmp_path):
    (tmp_path / "views.py").write_text(
        "class LoginView(View):\n"
        "    def get(self, request):\n"
        "        return render(request, 'login.html')\n"
        "\n"
        "    def post(self, request):\n"
        "        return login(request)\n"
    )
    doc = {"project": "p", "scope": [""], "cases": [
        {"slug": "rate-limit", "path": "views.py", "line": 5, "end_line": 6, "verdict": "violation"},
        {"slug": "rate-limit", "path": "views.py", "line": 2, "end_line": 3, "verdict": "ok"},
    ]}
    at_class = [finding("views.py", 1, "rate-limit")]
    without = rw.score_project(doc, at_class, {})["rate-limit"]
    assert (without["tp"], without["fn"], without["unjudged"]) == (0, 1, 1)  # no extent known
    with_root = rw.score_project(doc, at_class, {}, root=tmp_path)["rate-limit"]
    # the class finding answers the violation on post(); the ok case on get() is not held
    # against it, since the finding is about the class
    assert (with_root["tp"], with_root["fn"], with_root["fp"], with_root["unjudged"]) == (1, 0, 0, 0)


def test_a_helper_finding_covers_the_endpoint_its_evidence_names():
    doc = {"project": "p", "scope": [""], "cases": [
        {"slug": "pagination", "path": "api/users.py", "line": 10, "end_line": 20, "verdict": "violation"},
    ]}
    helper = finding("contexts/accounts.py", 106, "pagination")
    assert rw.score_project(doc, [helper], {})["pagination"]["fn"] == 1
    helper["evidence"] = ["returned by the endpoint at api/users.py:10"]
    pg = rw.score_project(doc, [helper], {})["pagination"]
    assert (pg["tp"], pg["fn"], pg["fp"], pg["unjudged"]) == (1, 0, 0, 0)


def test_cases_on_the_same_lines_are_one_place():
    """`path("auth/", include("django.contrib.auth.urls"))` wires login, reset and confirm:
    one finding there answers the three cases labelled on that line."""
    doc = {"project": "p", "scope": [""], "cases": [
        {"slug": "rate-limit", "path": "urls.py", "line": 21, "end_line": 21, "verdict": "violation", "what": "login"},
        {"slug": "rate-limit", "path": "urls.py", "line": 21, "end_line": 21, "verdict": "violation", "what": "reset"},
        {"slug": "rate-limit", "path": "urls.py", "line": 20, "end_line": 22, "verdict": "violation", "what": "other"},
    ]}
    rl = rw.score_project(doc, [finding("urls.py", 21, "rate-limit")], {})["rate-limit"]
    assert (rl["tp"], rl["fn"]) == (2, 1)
    assert (rl["high_tp"], rl["high_fp"]) == (1, 0)  # still one high-confidence finding
