"""Commander alerts over SNS."""

from __future__ import annotations

from typing import TYPE_CHECKING

from botocore.exceptions import BotoCoreError, ClientError

from crisisdesk.aws.errors import AwsError

if TYPE_CHECKING:
    from mypy_boto3_sns import SNSClient


class Alerts:
    """Publishes short alerts to the commander topic."""

    def __init__(self, topic_arn: str, client: SNSClient) -> None:
        self._topic_arn = topic_arn
        self._client = client

    def send(self, subject: str, message: str) -> None:
        """Publish one alert; raise AwsError if SNS refuses."""
        try:
            self._client.publish(TopicArn=self._topic_arn, Subject=subject[:99], Message=message)
        except (ClientError, BotoCoreError) as e:
            raise AwsError(f"alert not published: {e}") from e
