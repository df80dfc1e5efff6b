# Local settings for this machine. Copy to instance/config.py; environment variables still win.
# SECRET_KEY = "a long random string"
# SQLALCHEMY_DATABASE_URI = "postgresql+psycopg://forum@localhost/forum"
# MAIL_SERVER = "smtp.example.org"
# MAIL_PORT = 587
# MAIL_USERNAME = "forum"
# MAIL_PASSWORD = "..."
# MAIL_FROM = "forum@example.org"
# RATELIMIT_STORAGE_URI = "redis://127.0.0.1:6379/0"
