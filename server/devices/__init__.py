"""The keys that open what each tablet stores (issue 23, docs/security.md)."""
