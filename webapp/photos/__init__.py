"""Photos: the upload pipeline (accepted by content, re-encoded without metadata), the one JPEG encoder,
storage behind a small interface, files that follow the transaction, redaction, and which photos are
public."""
