"""The low shared kernel every package may import and that imports none of them, in two parts: `http` (the
request middleware: access control, security headers, sessions, languages, access log, rate limits, origin
checks, input checks, in-memory uploads) and `data` (the models, the audit log, transactions, row locks). The
package itself holds what both parts and every layer read: settings, extensions, the vocabulary, the error
types and their one handler, the CSV writer."""
