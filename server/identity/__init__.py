"""Identity foundations (issue 20): an OpenID Connect relying party for MitID brokers and the
municipality's staff login, CPR numbers (validated, encrypted, looked up by a keyed hash,
masked) and the source of custody. Framework-light: nothing here imports the app; the routes
that use it come next (docs/identity.md)."""
