"""The low shared kernel every package may import and that imports none of them: settings, extensions, the
models, the vocabulary, the error types and their one handler, the audit log, transactions, access control,
and the request-wide policies (security headers, sessions, access log, rate limits, in-memory uploads)."""
