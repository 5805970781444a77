# Thin wrapper over ./dev, which needs nothing but python3 and git.
.PHONY: demo test test-llm lint bench setup
demo test test-llm lint bench setup:
	./dev $@
