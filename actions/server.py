"""The action server for production: rasa_sdk's own app, plus a shared token and no CORS.

rasa-sdk 3.6 has no authentication (rasa_sdk/endpoint.py), allows CORS from "*" by default and,
when an action raises, answers 500 with the whole request body (the tracker: what the person said).
`python -m actions.server [--port 5055]` builds the same Sanic app with `create_app` and:

- when KNEADLE_ACTION_TOKEN is set, refuses (401) every request but GET /health whose `token`
  query parameter differs (Rasa sends `token:` from endpoints.yml's action_endpoint as that
  parameter; rasa/utils/endpoints.py), compared in constant time;
- sends no CORS headers (only the Rasa server calls it, never a browser);
- answers an action that raised with a short error, and logs the exception without the request.

`rasa run actions` keeps working for development (no token, stock behaviour).
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os
from collections.abc import Sequence

from rasa_sdk import utils
from rasa_sdk.endpoint import create_app
from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

TOKEN_VARIABLE = "KNEADLE_ACTION_TOKEN"
TOKEN_PARAMETER = "token"
OPEN_PATHS = frozenset({"/health"})


def token_matches(given: str | None, expected: str) -> bool:
    """Whether the request's token is the shared one, in time that does not depend on where they differ."""
    return given is not None and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def build_app(token: str | None, actions_package: str = "actions") -> Sanic:
    """rasa_sdk's action server app, checking `token` on every request (if given) but the health check."""
    app = create_app(actions_package, cors_origins=None)

    if token:

        @app.on_request
        async def check_token(request: Request) -> HTTPResponse | None:
            if request.path in OPEN_PATHS or token_matches(request.args.get(TOKEN_PARAMETER), token):
                return None
            logger.warning("Refused a request to %s without the right token.", request.path)
            return response.json({"error": "a valid token is required"}, status=401)

    async def action_failed(request: Request, exception: Exception) -> HTTPResponse:
        status = getattr(exception, "status_code", 500)
        if status >= 500:
            logger.error("An action failed: %s.", type(exception).__name__, exc_info=exception)
            return response.json({"error": "the action failed"}, status=500)
        return response.json({"error": str(exception)}, status=status)

    app.error_handler.add(Exception, action_failed)
    return app


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("KNEADLE_ACTIONS_PORT", "5055")))
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "0.0.0.0"))
    parser.add_argument("--actions", default="actions", help="the package of actions")
    args = parser.parse_args(argv)
    utils.configure_colored_logging(os.environ.get("LOG_LEVEL", "INFO"))
    utils.update_sanic_log_level()
    token = os.environ.get(TOKEN_VARIABLE) or None
    if token is None:
        logger.warning(
            "%s is not set: the action server accepts requests from anyone who can reach it.", TOKEN_VARIABLE
        )
    app = build_app(token, args.actions)
    logger.info("Action server on http://%s:%s; token required: %s.", args.host, args.port, token is not None)
    app.run(args.host, args.port, workers=utils.number_of_sanic_workers(), access_log=False)


if __name__ == "__main__":
    main()
