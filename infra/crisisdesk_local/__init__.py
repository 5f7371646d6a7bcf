"""Local AWS runtime: moto server, Lambda dispatcher and SQS poller driven by template.yaml."""
