"""Webhook secrets, platform tokens and the commander token from Secrets Manager."""

from __future__ import annotations

import json
import threading
import time
from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from crisisdesk.aws.errors import SecretsUnavailable

if TYPE_CHECKING:
    from mypy_boto3_secretsmanager import SecretsManagerClient

_TTL_SECONDS = 300.0  # rotated values are picked up within five minutes


class Secrets:
    """Reads the JSON secret once per TTL; values are never logged."""

    def __init__(self, secret_id: str, client: SecretsManagerClient) -> None:
        self._secret_id = secret_id
        self._client = client
        self._values: dict[str, str] = {}
        self._loaded_at = 0.0
        self._lock = threading.Lock()

    def _load(self) -> dict[str, str]:
        with self._lock:
            if self._values and time.monotonic() - self._loaded_at < _TTL_SECONDS:
                return self._values
            try:
                raw = self._client.get_secret_value(SecretId=self._secret_id)["SecretString"]
                values = json.loads(raw)
            except (ClientError, BotoCoreError, KeyError) as e:
                raise SecretsUnavailable(f"cannot read secret {self._secret_id}") from e
            except ValueError as e:
                raise SecretsUnavailable(f"secret {self._secret_id} is not JSON") from e
            self._values = {str(k): str(v) for k, v in values.items()}
            self._loaded_at = time.monotonic()
            return self._values

    def get(self, key: str) -> str:
        """One value; empty string when unset (callers refuse to verify with it)."""
        return self._load().get(key, "")
