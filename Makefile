# `make run` and `make test` do all set-up on a fresh machine. See README.md.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test install system-deps lint clean bench

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): requirements.txt | $(PY)
	@# The machine's pip.conf names extra indexes that may not exist; hide that noise, keep real errors.
	$(PY) -m pip install --quiet -r requirements.txt 2>&1 | { grep -v "is ignored: it is neither" || true; }
	touch $(STAMP)

install: $(STAMP)

## Browser tests need Chromium and CJK fonts; apt is used only for these.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! fc-list 2>/dev/null | grep -qi "noto sans cjk"; then \
		echo "Installing chromium, chromium-driver and fonts-noto-cjk (apt)"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
			chromium chromium-driver fonts-noto-cjk fonts-wqy-zenhei >/dev/null; \
	fi

run: install
	$(PY) bin/devstack.py run

## Without PYTEST_ARGS: the whole suite on two xdist workers (bin/devstack.py); `make test PYTEST_ARGS=apps/core`.
test: install system-deps
	$(PY) bin/devstack.py test $(PYTEST_ARGS)

bench: install
	$(PY) bin/devstack.py bench

clean:
	rm -rf var reports .pytest_cache
