"""Login, logout and failed-login hooks that write the audit trail."""
