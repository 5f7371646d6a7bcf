# Two commands on a fresh machine: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
.ONESHELL:
.SHELLFLAGS := -eu -o pipefail -c

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml functions/requirements.txt | sha1sum | cut -c1-12)
export SAM_CLI_TELEMETRY := 0
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: demo test lint typecheck validate sam-build unit workflow e2e bench bench-replay up clean

$(STAMP): pyproject.toml functions/requirements.txt
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else "crisisdesk needs Python 3.11 (for sam build without containers): install python3.11")'
	@if ! $(PYTHON) -c 'import venv, ensurepip' 2>/dev/null; then \
	  echo "installing python3-venv (apt-get)"; apt-get update -qq && apt-get install -y -qq python3-venv python3.11-venv >/dev/null; fi
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@$(BIN)/python -m pip install -q -e '.[dev]'
	@rm -f $(VENV)/.installed-*
	@touch $@

demo: $(STAMP)
	$(BIN)/crisisdesk demo

up: $(STAMP)
	$(BIN)/crisisdesk up

lint: $(STAMP)
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy functions/crisisdesk infra/crisisdesk_local

validate: $(STAMP)
	$(BIN)/cfn-lint template.yaml
	$(BIN)/sam validate --lint --region us-east-1
	$(BIN)/statelint workflows/*.asl.json

# sam build without containers needs python3.11 on PATH: the venv's.
sam-build: $(STAMP)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/sam build --build-dir .aws-sam/build --region us-east-1 >/dev/null
	@for fn in .aws-sam/build/*Function; do $(BIN)/python tools/check_lambda_package.py "$$fn"; done

unit: $(STAMP)
	$(BIN)/pytest -q tests/unit

workflow: $(STAMP)
	$(BIN)/pytest -q tests/workflow

e2e: $(STAMP)
	$(BIN)/pytest -q tests/e2e

# Everything CI runs. The test tiers run as separate pytest processes: the workflow, e2e
# and browser tiers each start their own local runtime.
test: lint typecheck validate sam-build unit workflow e2e browser

# The commander dashboard in headless Chromium (Debian's package; Playwright drives it).
.PHONY: browser
browser: $(STAMP)
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "installing chromium (apt-get)"; apt-get update -qq && apt-get install -y -qq chromium >/dev/null; fi
	$(BIN)/pytest -q tests/browser

# Classifier (leave-one-brand-out, side by side with VADER and TF-IDF+LR) and guardrails.
bench: $(STAMP)
	$(BIN)/python -m tests.bench.run
	$(BIN)/python -m tests.bench.bench_guardrails --extra tests/guardrails/blind15_replies.jsonl --extra tests/guardrails/blind14_replies.jsonl --extra tests/guardrails/blind13_replies.jsonl --extra tests/guardrails/blind12_replies.jsonl --extra tests/guardrails/blind11_replies.jsonl --extra tests/guardrails/blind10_replies.jsonl --extra tests/guardrails/blind9_replies.jsonl --extra tests/guardrails/blind8_replies.jsonl --extra tests/guardrails/blind7_replies.jsonl --extra tests/guardrails/blind6_replies.jsonl --extra tests/guardrails/blind5_replies.jsonl --extra tests/guardrails/blind4_replies.jsonl --extra tests/guardrails/blind3_replies.jsonl

# The whole 9-day airline file through the local runtime: surges caught, replies accounted.
bench-replay: $(STAMP)
	$(BIN)/python -m tests.bench.replay_surges

clean:
	rm -rf .aws-sam .crisisdesk .pytest_cache .mypy_cache .ruff_cache
