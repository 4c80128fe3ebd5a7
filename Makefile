# Two commands for a new machine: `make demo` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := templates/huzhou-cs-outsourcing

.PHONY: demo test golden clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# An editable install leaves our modules without bytecode; compile them as a regular
# install does (pip compiles what it installs), so a machine that never writes bytecode
# (PYTHONDONTWRITEBYTECODE) does not compile every module on each run — and the same for
# our regular expressions (src/contractgen/rx.py).
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	$(BIN)/python -m compileall -q src
	$(BIN)/python -m contractgen.rx
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# The TOC's page numbers need LibreOffice and pdftotext; without them the demo still
# builds (the TOC then lists the articles without page numbers) and says so.
demo: $(VENV)/.installed
	@if command -v soffice >/dev/null && command -v pdftotext >/dev/null; then toc=--toc-pages; \
	else toc=; echo "demo: no LibreOffice (soffice) or pdftotext on the PATH: the TOC gets no page numbers"; fi; \
	echo "$(BIN)/contractgen build $(SAMPLE) --data $(SAMPLE)/sample-data.yaml --out output --format md,docx --force --timing $$toc"; \
	$(BIN)/contractgen build $(SAMPLE) --data $(SAMPLE)/sample-data.yaml --out output --format md,docx --force --timing $$toc
# One row of parties.csv is invalid on purpose: the batch exits 1 and reports it; any other
# failure (2 = bad input) still fails the demo.
	$(BIN)/contractgen batch $(SAMPLE) --data $(SAMPLE)/parties.csv --out output/batch --format docx,md --force; \
	status=$$?; if [ $$status -eq 1 ]; then echo "demo: the failed row above is deliberate (see output/batch/manifest.csv)"; \
	elif [ $$status -ne 0 ]; then exit $$status; fi

# pytest's exit code 5 (no tests collected) counts as a failure.
test: $(VENV)/.installed-test
	$(BIN)/python -m pytest -q $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "no tests were collected" >&2; exit 1; fi; exit $$status

# Regenerate golden files, then review them with `git diff tests/`.
golden: $(VENV)/.installed-test
	CONTRACTGEN_UPDATE_GOLDEN=1 $(BIN)/python -m pytest -q $(PYTEST_ARGS)

clean:
	rm -rf output $(VENV)
