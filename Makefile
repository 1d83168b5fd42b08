# make install: .venv with the pinned requirements; make run: the app; make test: the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test bench clean

install: $(STAMP)

$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements-dev.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $(STAMP)

run: install
	$(BIN)/streamlit run app.py

test: install
	MPLBACKEND=Agg $(BIN)/python -m pytest -q -n 2 --dist loadfile

bench: install
	$(BIN)/python -m wijkprofielen bench

clean:
	rm -rf $(VENV)
