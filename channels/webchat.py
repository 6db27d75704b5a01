"""The website widget's channel: Rasa's socket.io connector, with the origins and input it accepts checked.

Stock Rasa (3.6) builds its socket.io server with `cors_allowed_origins=[]`, which turns the Origin
check off, so any website could open a conversation in its visitors' browsers. Its handlers also
trust the client: a string as the event data, metadata that is not JSON, a message that is not a
string or a session id that is not a string raise inside the handler, and any client may send
into any conversation by naming its session id. This connector keeps the stock name ("socketio":
the domain's channel variants and the reminder check in actions/walkthrough.py use it) and the
stock output, and replaces the server and the handlers:

- only the origins in `cors_allowed_origins` may connect (an empty list: only the server's own);
- a session id is a client's for as long as it is connected: the one confirmed by
  `session_request` (a well-formed id the client kept, else a new one) is used for every message
  from that connection, whatever id the message carries;
- bad data, metadata or message is dropped with a log line, never an exception;
- a message longer than `max_message_length` is cut (at a word boundary) and answered as cut,
  with a note first (messages.yml `webchat_message_cut`): the bot still sees a red flag at its start.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

from rasa.core.channels.channel import InputChannel, OutputChannel, UserMessage, decode_bearer_token
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels.handling import (
    DEFAULT_MAX_MESSAGE_LENGTH,
    cut_with_note,
    handle_or_apologise,
    metadata_of,
)

logger = logging.getLogger(__name__)

DEFAULT_ORIGINS = ("http://localhost:8080", "http://127.0.0.1:8080")
# Well above the widget's largest event (a capped message and its metadata); engine.io closes a
# connection that sends more, instead of reading up to its own default of 1 MB per request.
MAX_PACKET_BYTES = 64 * 1024
# A session id a client may keep: long enough not to be guessed, short enough to log.
SESSION_ID = re.compile(r"[A-Za-z0-9_.:-]{16,128}")
ORIGIN = re.compile(r"https?://[^/\s:]+(:\d{1,5})?")
SESSION_KEY = "session_id"


def allowed_origins(configured: Any) -> list[str]:
    """The `cors_allowed_origins` setting as exact Origin values; a mistake stops start-up.

    A trailing slash is dropped (browsers never send one); "*" and anything that is not
    scheme://host[:port] is refused, since it would silently allow every site or none.
    """
    if configured is None:
        return list(DEFAULT_ORIGINS)
    if isinstance(configured, str):
        configured = [configured]
    if not isinstance(configured, list):
        raise ValueError("cors_allowed_origins must be a list of origins like http://localhost:8080")
    origins = []
    for entry in configured:
        origin = str(entry).strip().rstrip("/")
        if not ORIGIN.fullmatch(origin):
            raise ValueError(
                f"cors_allowed_origins: {entry!r} is not an origin like https://www.example.org "
                "(scheme, host and optional port; no path, no '*')"
            )
        origins.append(origin)
    return origins


def message_text(data: dict[str, Any]) -> str | None:
    """The message's text, or None when there is nothing to answer (missing, not a string, blank)."""
    text = data.get("message")
    if not isinstance(text, str) or not text.strip():
        return None
    return text


def kept_session_id(data: Any) -> str | None:
    """The session id a client asks to continue, if it is a well-formed one."""
    if not isinstance(data, dict):
        return None
    session_id = data.get(SESSION_KEY)
    if isinstance(session_id, str) and SESSION_ID.fullmatch(session_id):
        return session_id
    return None


class WebchatBlueprint(SocketBlueprint):
    """Serves socket.io like Rasa's blueprint, through a route Sanic knows may end a websocket.

    engine.io's own route returns None when a websocket closes, and Sanic 21.12 then logs an
    error with a stack trace ("Invalid response type None") for every visitor who leaves.
    """

    def register(self, app: Sanic, options: dict[str, Any]) -> None:
        sio: AsyncServer = self.ctx.sio

        async def engineio(request: Request) -> HTTPResponse | None:
            try:
                return await sio.handle_request(request)
            except Exception as error:  # noqa: BLE001 - a malformed request must not become a 500
                # engine.io raises on some malformed polling requests (e.g. an empty POST).
                logger.info("Refused a malformed socket.io request: %s.", type(error).__name__)
                return response.json({"error": "not a valid socket.io request"}, status=400)

        engineio.is_websocket = True  # type: ignore[attr-defined]  # Sanic: None is fine after a websocket
        path = "/" + self.ctx.socketio_path.strip("/") + "/"
        app.add_route(engineio, path, methods=["GET", "POST", "OPTIONS"], name="webchat_engineio")
        app.enable_websocket()
        Blueprint.register(self, app, options)


class WebchatOutput(SocketIOOutput):
    """Rasa's socket.io output; custom JSON is sent as the event's data (stock passes its keys to emit)."""

    async def send_custom_json(self, recipient_id: str, json_message: dict[str, Any], **kwargs: Any) -> None:
        await self._send_message(recipient_id, json_message)


class WebchatInput(SocketIOInput):
    """socket.io for the rasa-webchat widget, with checked origins and input (see the module docstring)."""

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        credentials = credentials or {}
        return cls(
            user_message_evt=credentials.get("user_message_evt", "user_uttered"),
            bot_message_evt=credentials.get("bot_message_evt", "bot_uttered"),
            namespace=credentials.get("namespace"),
            session_persistence=bool(credentials.get("session_persistence", False)),
            socketio_path=credentials.get("socketio_path", "/socket.io"),
            jwt_key=credentials.get("jwt_key"),
            jwt_method=credentials.get("jwt_method", "HS256"),
            metadata_key=credentials.get("metadata_key", "metadata"),
            cors_allowed_origins=allowed_origins(credentials.get("cors_allowed_origins")),
            max_message_length=int(credentials.get("max_message_length", DEFAULT_MAX_MESSAGE_LENGTH)),
        )

    def __init__(
        self,
        *args: Any,
        cors_allowed_origins: Iterable[str] = DEFAULT_ORIGINS,
        max_message_length: int = DEFAULT_MAX_MESSAGE_LENGTH,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.cors_allowed_origins = list(cors_allowed_origins)
        if max_message_length < 1:
            raise ValueError("max_message_length must be at least 1")
        self.max_message_length = max_message_length

    def get_output_channel(self) -> OutputChannel | None:
        """The output for messages the person did not send (reminders, trigger_intent)."""
        if self.sio is None:
            return None
        return WebchatOutput(self.sio, self.bot_message_evt)

    def socket_server(self) -> AsyncServer:
        """The socket.io server: an empty origin list means the server's own origin only (engine.io's None)."""
        return AsyncServer(
            async_mode="sanic",
            cors_allowed_origins=self.cors_allowed_origins or None,
            max_http_buffer_size=MAX_PACKET_BYTES,
        )

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = self.socket_server()
        self.sio = sio
        webhook = WebchatBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=self.namespace)
        async def connect(sid: str, environ: dict[str, Any], auth: Any = None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            if not isinstance(token, str):
                return False
            return decode_bearer_token(token, self.jwt_key, self.jwt_algorithm) is not None

        @sio.on("session_request", namespace=self.namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            await self._start_session(sid, kept_session_id(data))

        @sio.on(self.user_message_evt, namespace=self.namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            if not isinstance(data, dict):
                logger.warning("Dropped a socket.io message whose data is %s, not an object.", type(data).__name__)
                return
            text = message_text(data)
            if text is None:
                logger.debug("Dropped a socket.io message with no text.")
                return
            sender_id = await self._sender_id(sid, data)
            output = WebchatOutput(sio, self.bot_message_evt)
            text = await cut_with_note(text, self.max_message_length, output, sender_id)
            message = UserMessage(
                text,
                output,
                sender_id,
                input_channel=self.name(),
                metadata=metadata_of(data.get(self.metadata_key)),
            )
            await handle_or_apologise(on_new_message, message)

        return webhook

    async def _start_session(self, sid: str, session_id: str | None) -> str:
        """Confirm a session for this connection (a new one unless a well-formed one is kept)."""
        assert self.sio is not None
        session_id = session_id or uuid.uuid4().hex
        session = await self.sio.get_session(sid, namespace=self.namespace)
        previous = session.get(SESSION_KEY)
        if self.session_persistence:
            if previous and previous != session_id:
                self.sio.leave_room(sid, previous, namespace=self.namespace)
            self.sio.enter_room(sid, session_id, namespace=self.namespace)
        await self.sio.save_session(sid, {**session, SESSION_KEY: session_id}, namespace=self.namespace)
        await self.sio.emit("session_confirm", session_id, room=sid, namespace=self.namespace)
        return session_id

    async def _sender_id(self, sid: str, data: dict[str, Any]) -> str:
        """Whose conversation a message belongs to: with persistence, the connection's confirmed session
        (one is started now if the client sent no session_request); otherwise the connection itself."""
        if not self.session_persistence:
            return sid
        assert self.sio is not None
        session = await self.sio.get_session(sid, namespace=self.namespace)
        confirmed = session.get(SESSION_KEY)
        if confirmed:
            return str(confirmed)
        return await self._start_session(sid, kept_session_id(data))
