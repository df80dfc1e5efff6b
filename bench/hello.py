"""The ceiling for bench/load.py: a minimal Flask "hello world", served by gunicorn with the forum's settings."""

from flask import Flask

app = Flask(__name__)


@app.route("/")
def hello() -> str:
    return "Hello, World!"
