"""DynamoDB single-table storage: one typed wrapper, the append-only timeline, and repositories."""
