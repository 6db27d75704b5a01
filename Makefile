# Kneadle: `make run` to chat with the bot, `make test` to run every check.
.DEFAULT_GOAL := help
.PHONY: help run web test setup train actions server benchmark benchmark-nlu benchmark-load benchmark-profile lock clean

help:  ## Show these targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

run:  ## Set up if needed, train if needed, and chat in the terminal
	@bash scripts/run.sh

web:  ## Set up and train if needed, then chat on a web page: http://127.0.0.1:8080 (Ctrl-C stops)
	@bash scripts/web.sh

test:  ## Set up if needed and run every check (lint, validate, train, test stories, pytest)
	@bash scripts/test.sh

setup:  ## Create .venv with pinned packages and build the spaCy pipeline
	@bash scripts/setup.sh

train:  ## Train models/kneadle.tar.gz if its inputs changed
	@bash scripts/setup.sh && bash scripts/train.sh

actions:  ## Run the action server alone (port 5055)
	@bash scripts/setup.sh && .venv/bin/rasa run actions

server:  ## Run the Rasa server alone with the HTTP API on loopback (port 5005); needs KNEADLE_API_TOKEN in .env
	@bash scripts/setup.sh && bash scripts/train.sh && bash scripts/server.sh

benchmark:  ## Measure safety (red flags, questions, false alarms) over HTTP on the sets in benchmarks/safety/
	@bash scripts/setup.sh && bash scripts/train.sh && .venv/bin/python -m benchmarks.safety

benchmark-nlu:  ## Train Rasa's default, our and a dense NLU pipeline; score each on held-out messages
	@bash scripts/setup.sh && .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps \
		-r benchmarks/nlu/requirements.txt && .venv/bin/python -m benchmarks.nlu

benchmark-load:  ## Load: Kneadle vs the `rasa init` bot, then 1 vs 2 replicas (about 10 min; results/load.json)
	@bash scripts/setup.sh && bash scripts/train.sh && .venv/bin/python -m benchmarks.load

benchmark-profile:  ## Time one message per stage (NLU components, policies, action calls, store) as a conversation grows
	@bash scripts/setup.sh && bash scripts/train.sh && .venv/bin/python -m benchmarks.profile

lock:  ## Regenerate requirements.lock from requirements.in in a throwaway venv
	@bash scripts/lock.sh

clean:  ## Remove the venv, built pipeline, models, test results and the web widget's packages
	rm -rf .venv build models results .rasa web/node_modules
