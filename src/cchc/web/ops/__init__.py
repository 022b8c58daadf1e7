"""Operations around the web application: the tamper-evident audit log, backups and restores,
deployment checks and the log-in rate limit."""
