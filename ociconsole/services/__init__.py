"""Async API per OCI service over the SDK (no Qt). `runtime.Session` runs every blocking SDK
call on a bounded worker pool with the retry policy and per-service failure state."""
