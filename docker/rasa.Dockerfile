# The Rasa server with Kneadle's model, trained at build time (for machines without Python 3.10).
FROM rasa/rasa:3.6.21-full

USER root
WORKDIR /app
COPY requirements.lock /tmp/requirements.lock
# Beyond the image: the lookup lemmatizer, and rapidfuzz for the red-flag component.
RUN pip install --no-cache-dir -c /tmp/requirements.lock spacy-lookups-data rapidfuzz \
    && rm /tmp/requirements.lock

COPY --chown=1001:0 config.yml domain.yml credentials.yml ./
COPY --chown=1001:0 docker/endpoints.yml ./endpoints.yml
# Production (docker-compose.production.yml): Redis, PostgreSQL, the action token, the widget's origin.
COPY --chown=1001:0 docker/endpoints.production.yml docker/credentials.production.yml ./
COPY --chown=1001:0 data ./data
COPY --chown=1001:0 components ./components
COPY --chown=1001:0 kneadle ./kneadle
COPY --chown=1001:0 channels ./channels
COPY --chown=1001:0 scripts/build_spacy_pipeline.py ./scripts/

USER 1001
ENV RASA_TELEMETRY_ENABLED=false
RUN python scripts/build_spacy_pipeline.py build/spacy/kneadle_en \
    && rasa train --fixed-model-name kneadle --out models

EXPOSE 5005
CMD ["run", "--model", "models/kneadle.tar.gz", "--endpoints", "endpoints.yml", "--credentials", "credentials.yml"]
