"""`python -m bench`: the sync benchmark on SQLite, and on PostgreSQL when available."""

from bench.sync_bench import main

if __name__ == "__main__":
    main()
