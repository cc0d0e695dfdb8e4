"""The write path every record takes, whether it comes over REST or sync: its kind, schema
checks, references, the mutation batch and the write itself, and the REST routes on top."""
