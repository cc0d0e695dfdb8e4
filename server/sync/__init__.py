"""The server's side of sync: which models are synced, and the sync endpoints."""
