import sqlite3

from flask import Flask, g, redirect, render_template, request, session, url_for

app = Flask(__name__)  # unclear: csrf
app.secret_key = "replace-me"  # unclear: hardcoded-secret


def get_db():
    if "db" not in g:
        g.db = sqlite3.connect("guestbook.db")
    return g.db


@app.route("/login", methods=["GET", "POST"])
def login():  # expect: rate-limit
    if request.method == "POST":
        row = get_db().execute("SELECT id FROM owners WHERE name = ?", (request.form["name"],)).fetchone()
        if row:
            session["owner_id"] = row[0]
            return redirect(url_for("entries"))
    return render_template("login.html")


@app.route("/entries", methods=["GET", "POST"])
def entries():  # ok: authz
    db = get_db()
    if request.method == "POST" and session.get("owner_id"):
        db.execute("INSERT INTO entries (owner_id, text) VALUES (?, ?)", (session["owner_id"], request.form["text"]))
        db.commit()
    rows = db.execute("SELECT text FROM entries ORDER BY id DESC LIMIT 50").fetchall()
    return render_template("entries.html", rows=rows)
