"""Hand an SMS to Twilio through its official library, or keep it locally when none is configured."""

import logging
from dataclasses import dataclass
import requests
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

from api.config import Settings

# The twilio library logs request bodies (numbers and text) at INFO: keep them out of our logs.
logging.getLogger("twilio.http_client").setLevel(logging.WARNING)


class SendError(Exception):
    """The provider did not take the message; `retry` says whether trying again may help."""

    def __init__(self, message: str, *, retry: bool, in_doubt: bool = False, http_status: int | None = None):
        super().__init__(message)
        self.retry = retry
        self.in_doubt = in_doubt  # the provider may have taken it: look before sending again
        self.http_status = http_status


@dataclass(frozen=True)
class Sent:
    """The provider took the message."""

    sid: str | None
    held_local: bool = False


class LocalOutbox:
    """No SMS provider configured: messages stay in the database and show on the outbox page."""

    configured = False

    def send(self, *, to: str, body: str, status_callback: str | None) -> Sent:
        return Sent(sid=None, held_local=True)

    def find_sent(self, *, to: str, body: str) -> str | None:
        return None


class TwilioSender:
    """Send through Twilio's REST API; the base URL can point at a Twilio-compatible fake."""

    configured = True

    def __init__(self, settings: Settings) -> None:
        self.from_number = settings.twilio_from_number
        self.client = Client(
            settings.twilio_account_sid,
            settings.twilio_auth_token,
            http_client=TwilioHttpClient(timeout=settings.twilio_timeout_seconds),
        )
        if settings.twilio_api_base_url:
            self.client.api.base_url = settings.twilio_api_base_url.rstrip("/")

    def send(self, *, to: str, body: str, status_callback: str | None) -> Sent:
        options = {"status_callback": status_callback} if status_callback else {}
        try:
            message = self.client.messages.create(to=to, from_=self.from_number, body=body, **options)
        except TwilioRestException as error:
            # 429 and 5xx are the provider's trouble and pass; 4xx means this message will never go.
            # A 5xx may come after the message was taken, so look before sending it again.
            retry = error.status == 429 or error.status >= 500
            raise SendError(
                f"twilio {error.status} code {error.code}",
                retry=retry,
                in_doubt=error.status >= 500,
                http_status=error.status,
            ) from None
        except requests.exceptions.ReadTimeout:
            # The request reached Twilio but no answer came: it may have been taken.
            raise SendError("twilio did not answer in time", retry=True, in_doubt=True) from None
        except requests.exceptions.ConnectionError as error:  # includes ConnectTimeout: never reached
            raise SendError(f"could not reach twilio: {type(error).__name__}", retry=True) from None
        except (requests.RequestException, TwilioException) as error:
            raise SendError(f"twilio request failed: {type(error).__name__}", retry=True, in_doubt=True) from None
        return Sent(sid=message.sid)

    def find_sent(self, *, to: str, body: str) -> str | None:
        """Return the sid of a message with this body already taken for this number, if any.

        Every page's text holds its own signed link, so an equal body is the same message.
        """
        try:
            for message in self.client.messages.list(to=to, limit=50):  # newest first
                if message.body == body:
                    return message.sid
        except TwilioRestException as error:
            raise SendError(f"twilio {error.status} looking up sent messages", retry=True, in_doubt=True) from None
        except (requests.RequestException, TwilioException) as error:
            raise SendError(f"could not look up sent messages: {type(error).__name__}", retry=True, in_doubt=True) from None
        return None


def make_sender(settings: Settings) -> TwilioSender | LocalOutbox:
    """Use Twilio when credentials are set, else the local outbox."""
    if settings.twilio_account_sid and settings.twilio_auth_token and settings.twilio_from_number:
        return TwilioSender(settings)
    return LocalOutbox()
