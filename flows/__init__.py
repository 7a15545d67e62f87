"""Orchestration: the Prefect flow, the shard runner and the CLI. No cleaning logic lives here."""
