# Careline: `make run` starts everything, `make test` runs the whole suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help
.PHONY: help envs model run test test-rasa test-nlu test-python validate eval safeguarding-model bench clean

UV := .venv-tools/bin/uv
ENGINE := .venv-engine/bin
SERVICE := .venv/bin

export PYTHONPATH := $(CURDIR)
# Rasa reads these in endpoints.yml.
export ACTION_ENDPOINT_URL ?= http://127.0.0.1:$(or $(ACTIONS_PORT),5055)/webhook
export RASA_URL ?= http://127.0.0.1:$(or $(RASA_PORT),5005)
export ACTION_SERVER_URL ?= http://127.0.0.1:$(or $(ACTIONS_PORT),5055)
export TRACKER_DIALECT ?= sqlite
export TRACKER_DB ?= $(CURDIR)/var/rasa-tracker.db
# Quieter, faster TensorFlow on a small CPU machine.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export SQLALCHEMY_SILENCE_UBER_WARNING ?= 1
export RASA_TELEMETRY_ENABLED ?= false

help:
	@echo "make run    set up both environments, train the model if needed, start everything"
	@echo "make test   the whole test suite"
	@echo "make eval   the safeguarding detector's evaluation figures"
	@echo "make safeguarding-model   retrain the detector's classifier on bot/safeguarding/corpus (about 2 min)"
	@echo "make bench  the benchmarks under bench/"

$(UV):
	python3 -m venv .venv-tools
	.venv-tools/bin/pip install -q uv==0.13.9

.venv/.synced: requirements/service.txt | $(UV)
	@py=$$(scripts/find-python.sh 3.11) && { [ -x $(SERVICE)/python ] || $(UV) venv -q -p "$$py" .venv; }
	$(UV) pip sync -q -p $(SERVICE)/python requirements/service.txt
	@touch $@

.venv-engine/.synced: requirements/engine.txt | $(UV)
	@py=$$(scripts/find-python.sh 3.10) && { [ -x $(ENGINE)/python ] || $(UV) venv -q -p "$$py" .venv-engine; }
	$(UV) pip sync -q -p $(ENGINE)/python requirements/engine.txt
	@touch $@

envs: .venv/.synced .venv-engine/.synced

model: envs
	@scripts/train-if-changed.sh

run: model
	@mkdir -p var
	@echo "Starting Rasa, the action server and the api; Ctrl-C stops everything."
	@echo "  web chat:  http://127.0.0.1:$${API_PORT:-8000}/"
	@echo "  API docs:  http://127.0.0.1:$${API_PORT:-8000}/docs"
	ONCALL_ROTA_FILE=$${ONCALL_ROTA_FILE:-api/oncall/demo_rota.yml} \
	  PUBLIC_BASE_URL=$${PUBLIC_BASE_URL:-http://127.0.0.1:$${API_PORT:-8000}} \
	  $(SERVICE)/honcho start -f Procfile

validate: envs
	$(ENGINE)/rasa data validate --config config.yml --domain domain.yml --data data --fail-on-warnings

test-rasa: validate model
	$(ENGINE)/rasa test core --e2e --stories tests/stories --model models/current.tar.gz \
	  --out var/test-results/stories --fail-on-prediction-errors --no-plot

test-nlu: envs
	@scripts/nlu-evaluate.sh

test-python: envs model
	@scripts/system-deps.sh
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-$$(scripts/test-postgres.sh)} \
	  $(SERVICE)/python -m pytest $(PYTEST_ARGS)

test: test-rasa test-nlu test-python

# The evaluation set with its floors, then the sets written blind (the honest measure of new wording;
# tests/safeguarding/README.md says which are spent and now train the classifier).
eval: envs
	$(SERVICE)/python -m bot.safeguarding.evaluate
	@for set in tests/safeguarding/blind10.jsonl tests/safeguarding/blind9.jsonl tests/safeguarding/blind8.jsonl tests/safeguarding/blind7.jsonl tests/safeguarding/blind6.jsonl tests/safeguarding/blind5.jsonl tests/safeguarding/blind4.jsonl tests/safeguarding/blind3.jsonl tests/safeguarding/dev_holdout.jsonl tests/safeguarding/dev_blind.jsonl tests/safeguarding/blind2.jsonl; do \
	  [ -f "$$set" ] || continue; echo; echo "== $$set (summary)"; $(SERVICE)/python -m bot.safeguarding.evaluate "$$set" --quiet; done

# The classifier beside the rules: cross-validated on the corpus, written to bot/safeguarding/data/classifier.json.
safeguarding-model: envs
	$(SERVICE)/python -m bot.safeguarding.train

bench: envs model
	@for b in bench/*.py; do echo "== $$b"; $(SERVICE)/python $$b || exit 1; done

clean:
	rm -rf var/test-results var/nlu-eval
