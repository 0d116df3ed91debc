"""The kernel's data side: the models (one module per table), the audit log, transactions and row
locks."""
