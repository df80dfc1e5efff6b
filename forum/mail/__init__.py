"""Email through a transactional outbox: a row written with the change, delivered by a job (docs/mail.md)."""
