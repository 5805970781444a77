# Thin wrapper over ./dev, which needs nothing but python3 and git.
.PHONY: demo test lint bench setup
demo test lint bench setup:
	./dev $@
