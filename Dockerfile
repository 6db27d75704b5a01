# The action server, on the rasa-sdk image that matches requirements.lock (tests/unit/test_docker.py checks).
FROM rasa/rasa-sdk:3.6.2

USER root
WORKDIR /app
# Packages the actions need beyond rasa-sdk, at the versions pinned in requirements.lock.
COPY requirements.lock /tmp/requirements.lock
RUN pip install --no-cache-dir -c /tmp/requirements.lock jsonschema \
    && rm /tmp/requirements.lock

COPY --chown=1001:0 kneadle ./kneadle
COPY --chown=1001:0 actions ./actions
COPY --chown=1001:0 data/knowledge ./data/knowledge

USER 1001
EXPOSE 5055
# rasa_sdk's server with a shared token (KNEADLE_ACTION_TOKEN, when set) and no CORS: actions/server.py.
ENTRYPOINT ["python", "-m", "actions.server"]
CMD ["--port", "5055"]
