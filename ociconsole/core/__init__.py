"""Qt-free foundations: OCI config and profiles, secrets, connections and the client
factory, user-facing errors, tracked operations."""
