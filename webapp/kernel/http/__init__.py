"""The kernel's request middleware: proxies, origins, security headers, sessions, rate limits, logs,
languages, uploads, and the checks every request's input goes through."""
